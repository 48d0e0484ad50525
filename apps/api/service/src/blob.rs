//! Where attachment bytes live. Content-addressed by SHA-256, behind a trait so an object
//! store can replace the local disk later.

use std::path::PathBuf;

use bytes::Bytes;

#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `sha256` (a lower-case hex digest); storing twice is a no-op.
    async fn put(&self, sha256: &str, bytes: Bytes) -> std::io::Result<()>;
    async fn get(&self, sha256: &str) -> std::io::Result<Bytes>;
}

/// Files under `<root>/<first two hex digits>/<digest>`.
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, sha256: &str) -> std::io::Result<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
        if !valid {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a sha256 digest",
            ));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalDisk {
    async fn put(&self, sha256: &str, bytes: Bytes) -> std::io::Result<()> {
        let path = self.path(sha256)?;
        if tokio::fs::try_exists(&path).await? {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // Write aside, then rename: a reader never sees a half-written file.
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::now_v7().simple()));
        tokio::fs::write(&tmp, &bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }

    async fn get(&self, sha256: &str) -> std::io::Result<Bytes> {
        tokio::fs::read(self.path(sha256)?).await.map(Bytes::from)
    }
}

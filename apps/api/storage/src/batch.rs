//! Several writes sent as one statement: one round trip to the database instead of one
//! per write. On SQLite every round trip inside a write transaction is a hand-off to the
//! one writer connection's thread and back while that writer is held, so the writes a
//! transaction always makes together (an event and its dispatch job, a ticket and its
//! number) are sent together. SQLite runs the statements one after the other from one
//! string; PostgreSQL runs the leading ones as data-modifying `WITH` parts of the last.
//!
//! A part must be a plain `INSERT`, `UPDATE` or `DELETE` (no `WITH` of its own, no trailing
//! `;`). On PostgreSQL the parts see the database as it was before the statement (one
//! snapshot), so no part may depend on another's rows; only the last part's `RETURNING`
//! rows come back.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::error::{StoreError, StoreResult};

/// Statements to run as one, in order.
#[derive(Debug)]
pub struct Batch {
    backend: DbBackend,
    /// Each part with its name as a PostgreSQL `WITH` part (a later part may read a named
    /// part's `RETURNING` rows).
    parts: Vec<(Option<&'static str>, Statement)>,
}

impl Batch {
    pub fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            parts: Vec::new(),
        }
    }

    /// Adds `stmt`, built for this batch's backend with anonymous (`?`) or numbered (`?n`,
    /// `$n`) parameters.
    pub fn push(&mut self, stmt: Statement) -> &mut Self {
        self.parts.push((None, stmt));
        self
    }

    /// Adds `stmt` as the PostgreSQL `WITH` part `name`, which later parts may read.
    pub fn push_named(&mut self, name: &'static str, stmt: Statement) -> &mut Self {
        self.parts.push((Some(name), stmt));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The backend the batch's statements are built for.
    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Adds `other`'s parts after this batch's.
    pub fn append(&mut self, other: Batch) -> &mut Self {
        self.parts.extend(other.parts);
        self
    }

    /// The whole batch as one statement.
    pub fn statement(&self) -> StoreResult<Statement> {
        let mut texts = Vec::with_capacity(self.parts.len());
        let mut values = Vec::new();
        for (_, stmt) in &self.parts {
            let own = stmt
                .values
                .as_ref()
                .map(|v| v.0.as_slice())
                .unwrap_or_default();
            texts.push(match self.backend {
                DbBackend::Postgres => {
                    let text = renumber(&stmt.sql, own, values.len())?;
                    values.extend_from_slice(own);
                    text
                }
                _ => anonymous(&stmt.sql, own, &mut values)?,
            });
        }
        let sql = match (self.backend, texts.split_last()) {
            (DbBackend::Postgres, Some((last, leading))) if !leading.is_empty() => {
                let ctes: Vec<String> = leading
                    .iter()
                    .zip(&self.parts)
                    .enumerate()
                    .map(|(i, (text, (name, _)))| match name {
                        Some(n) => format!("{n} AS ({text})"),
                        None => format!("batch{i} AS ({text})"),
                    })
                    .collect();
                format!("WITH {} {last}", ctes.join(", "))
            }
            _ => texts.join(";\n"),
        };
        Ok(Statement::from_sql_and_values(self.backend, sql, values))
    }

    /// Runs the batch; the number of rows the statements changed in all.
    pub async fn execute(&self, db: &impl ConnectionTrait) -> StoreResult<u64> {
        if self.parts.is_empty() {
            return Ok(0);
        }
        Ok(db.execute_raw(self.statement()?).await?.rows_affected())
    }

    /// Runs the batch; the rows the statements return (on PostgreSQL, the last one's).
    pub async fn query_all(&self, db: &impl ConnectionTrait) -> StoreResult<Vec<QueryResult>> {
        if self.parts.is_empty() {
            return Ok(Vec::new());
        }
        Ok(db.query_all_raw(self.statement()?).await?)
    }
}

fn bad(sql: &str, why: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("batch: {why} in `{sql}`")))
}

/// Calls `emit` for each text run and each parameter (`None`: anonymous `?`; `Some(n)`:
/// numbered `?n` or `$n`) of `sql`, outside quoted strings and identifiers.
fn scan(sql: &str, mut emit: impl FnMut(&str, Option<Option<usize>>)) {
    let bytes = sql.as_bytes();
    let (mut i, mut start, mut quote) = (0, 0, None::<u8>);
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'?' || b == b'$' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let n = sql[i + 1..i + 1 + digits].parse::<usize>().ok();
                if b == b'?' || n.is_some() {
                    emit(&sql[start..i], Some(n));
                    i += 1 + digits;
                    start = i;
                    continue;
                }
            }
            None => {}
        }
        i += 1;
    }
    emit(&sql[start..], None);
}

/// SQLite: every parameter made anonymous, with its value appended in the order the
/// parameters appear, so the statements of one string take their values in turn.
fn anonymous(sql: &str, values: &[Value], out: &mut Vec<Value>) -> StoreResult<String> {
    let mut text = String::with_capacity(sql.len());
    let (mut next, mut missing) = (0, false);
    scan(sql, |run, param| {
        text.push_str(run);
        if let Some(n) = param {
            let index = n.map_or_else(
                || {
                    next += 1;
                    next - 1
                },
                |n| n.wrapping_sub(1),
            );
            match values.get(index) {
                Some(v) => out.push(v.clone()),
                None => missing = true,
            }
            text.push('?');
        }
    });
    if missing {
        return Err(bad(sql, "a parameter without a value"));
    }
    Ok(text)
}

/// PostgreSQL: `$n` moved up by the parameters of the parts before it.
fn renumber(sql: &str, values: &[Value], offset: usize) -> StoreResult<String> {
    let mut text = String::with_capacity(sql.len() + 8);
    let mut wrong = false;
    scan(sql, |run, param| {
        text.push_str(run);
        match param {
            Some(Some(n)) if (1..=values.len()).contains(&n) => {
                text.push_str(&format!("${}", n + offset));
            }
            Some(_) => wrong = true,
            None => {}
        }
    });
    if wrong {
        return Err(bad(sql, "a parameter that is not $1..$n"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(backend, sql, values)
    }

    fn built(b: &Batch) -> Statement {
        b.statement().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn sqlite_parts_take_their_values_in_turn() {
        let mut b = Batch::new(DbBackend::Sqlite);
        b.push(stmt(
            DbBackend::Sqlite,
            "INSERT INTO a VALUES (?, '?')",
            vec![1.into()],
        ))
        .push(stmt(
            DbBackend::Sqlite,
            "INSERT INTO b SELECT ?2, ?1 WHERE ?2 IS NULL",
            vec![2.into(), 3.into()],
        ));
        let s = built(&b);
        assert_eq!(
            s.sql,
            "INSERT INTO a VALUES (?, '?');\nINSERT INTO b SELECT ?, ? WHERE ? IS NULL"
        );
        let values = s.values.map(|v| v.0).unwrap_or_default();
        let expected: Vec<Value> = vec![1.into(), 3.into(), 2.into(), 3.into()];
        assert_eq!(values, expected);
    }

    #[test]
    fn postgres_leading_parts_become_with_parts() {
        let mut b = Batch::new(DbBackend::Postgres);
        b.push(stmt(
            DbBackend::Postgres,
            "INSERT INTO a VALUES ($1, '$1')",
            vec![1.into()],
        ));
        let mut tail = Batch::new(DbBackend::Postgres);
        tail.push_named(
            "n",
            stmt(
                DbBackend::Postgres,
                "UPDATE c SET x = $1 RETURNING x",
                vec![4.into()],
            ),
        )
        .push(stmt(
            DbBackend::Postgres,
            "INSERT INTO b VALUES ($2, $1) RETURNING x",
            vec![2.into(), 3.into()],
        ));
        b.append(tail);
        let s = built(&b);
        assert_eq!(
            s.sql,
            "WITH batch0 AS (INSERT INTO a VALUES ($1, '$1')), n AS (UPDATE c SET x = $2 RETURNING x) \
             INSERT INTO b VALUES ($4, $3) RETURNING x"
        );
        let values = s.values.map(|v| v.0).unwrap_or_default();
        let expected: Vec<Value> = vec![1.into(), 4.into(), 2.into(), 3.into()];
        assert_eq!(values, expected);
    }

    #[test]
    fn a_parameter_without_a_value_is_refused() {
        let mut b = Batch::new(DbBackend::Sqlite);
        b.push(stmt(DbBackend::Sqlite, "SELECT ?3", vec![1.into()]));
        assert!(b.statement().is_err());
        let mut p = Batch::new(DbBackend::Postgres);
        p.push(stmt(DbBackend::Postgres, "SELECT $0", vec![1.into()]));
        assert!(p.statement().is_err());
    }
}

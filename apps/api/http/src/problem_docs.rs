//! The OpenAPI document says what the server sends: every error response is
//! `application/problem+json` with the [`Problem`](crate::error::Problem) schema. utoipa
//! writes `application/json` for any `body = …`; this rewrites the error responses whose body
//! is a problem once the document is assembled (`/ready`'s 503 is a readiness report).

use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr};

pub const PROBLEM_JSON: &str = "application/problem+json";

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

fn fix(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if !is_error(status) {
            continue;
        }
        let is_problem = response.content.get("application/json").is_some_and(|c| {
            matches!(c, RefOr::T(c)
                if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")))
        });
        if is_problem && let Some(content) = response.content.shift_remove("application/json") {
            response.content.insert(PROBLEM_JSON.to_owned(), content);
        }
    }
}

/// Rewrites the media type of every documented error response.
pub fn problem_media_types(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        {
            fix(op);
        }
    }
}

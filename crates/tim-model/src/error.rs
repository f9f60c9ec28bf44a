//! The one error type of the model: every way a JSON document or a value can be refused, each
//! carrying the TIM error code an application sees and the key (as a path) it concerns.

use crate::codes;

/// Why the model refused a JSON document or a value.
///
/// Every variant names the offending key as a path such as
/// `message_elem_array[0].text_elem_content` (empty for the document itself), and maps to one
/// TIM error code through [`ModelError::code`]: broken JSON and wrong JSON types map to
/// `ERR_INVALID_JSON` (6027), missing or out-of-range values to `ERR_INVALID_PARAMETERS` (6017),
/// and broken documented limits to the code the TIM documentation gives for that limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The text is not JSON at all (syntax error, truncated, nested too deep).
    #[error("invalid JSON: {detail}")]
    Syntax {
        /// What the parser reported, with line and column.
        detail: String,
    },
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 in JSON text at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
    /// A value has the wrong JSON type (a string where a number belongs, ...).
    #[error("{}: expected {expected}, found {found}", show_path(path))]
    WrongType {
        /// Path of the offending key.
        path: String,
        /// What the key must hold.
        expected: &'static str,
        /// What it held.
        found: &'static str,
    },
    /// A required key is absent (or null).
    #[error("{}: required key is missing", show_path(path))]
    Missing {
        /// Path of the missing key.
        path: String,
    },
    /// A value has the right type but is outside what the key allows.
    #[error("{}: {detail}", show_path(path))]
    InvalidValue {
        /// Path of the offending key.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A value breaks a documented TIM limit or rule that has its own error code.
    #[error("{}: {detail}", show_path(path))]
    Limit {
        /// The TIM error code for this limit (e.g. 8001 for the message body size).
        code: i32,
        /// Path of the offending key, or the parameter's name.
        path: String,
        /// What the limit is and by how much it was broken.
        detail: String,
    },
}

fn show_path(path: &str) -> &str {
    if path.is_empty() {
        "JSON document"
    } else {
        path
    }
}

impl ModelError {
    /// The TIM error code (`TIMErrCode`) this error is reported with.
    pub fn code(&self) -> i32 {
        match self {
            Self::Syntax { .. } | Self::InvalidUtf8 { .. } | Self::WrongType { .. } => {
                codes::ERR_INVALID_JSON
            }
            Self::Missing { .. } | Self::InvalidValue { .. } => codes::ERR_INVALID_PARAMETERS,
            Self::Limit { code, .. } => *code,
        }
    }

    /// The path of the key the error concerns (empty for the whole document).
    pub fn path(&self) -> &str {
        match self {
            Self::Syntax { .. } | Self::InvalidUtf8 { .. } => "",
            Self::WrongType { path, .. }
            | Self::Missing { path }
            | Self::InvalidValue { path, .. }
            | Self::Limit { path, .. } => path,
        }
    }

    /// An [`ModelError::InvalidValue`] for `path`.
    pub fn invalid(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::InvalidValue {
            path: path.into(),
            detail: detail.into(),
        }
    }

    /// A [`ModelError::Limit`] with its own TIM code.
    pub fn limit(code: i32, path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Limit {
            code,
            path: path.into(),
            detail: detail.into(),
        }
    }

    /// The same error with `prefix` put in front of its path, for errors found in a value
    /// that is itself nested under `prefix`.
    pub fn within(self, prefix: &str) -> Self {
        let join = |path: String| {
            if path.is_empty() {
                prefix.to_owned()
            } else if path.starts_with('[') {
                format!("{prefix}{path}")
            } else {
                format!("{prefix}.{path}")
            }
        };
        match self {
            Self::WrongType {
                path,
                expected,
                found,
            } => Self::WrongType {
                path: join(path),
                expected,
                found,
            },
            Self::Missing { path } => Self::Missing { path: join(path) },
            Self::InvalidValue { path, detail } => Self::InvalidValue {
                path: join(path),
                detail,
            },
            Self::Limit { code, path, detail } => Self::Limit {
                code,
                path: join(path),
                detail,
            },
            other @ (Self::Syntax { .. } | Self::InvalidUtf8 { .. }) => other,
        }
    }
}

/// Result of model operations.
pub type Result<T, E = ModelError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_kind_of_error() {
        assert_eq!(ModelError::Syntax { detail: "x".into() }.code(), 6027);
        assert_eq!(ModelError::InvalidUtf8 { offset: 3 }.code(), 6027);
        let wrong = ModelError::WrongType {
            path: "a".into(),
            expected: "a string",
            found: "a number",
        };
        assert_eq!(wrong.code(), 6027);
        assert_eq!(ModelError::Missing { path: "a".into() }.code(), 6017);
        assert_eq!(ModelError::invalid("a", "bad").code(), 6017);
        assert_eq!(ModelError::limit(8001, "a", "too big").code(), 8001);
    }

    #[test]
    fn messages_name_the_key_and_nest() {
        let err = ModelError::Missing {
            path: "text_elem_content".into(),
        }
        .within("message_elem_array[0]");
        assert_eq!(err.path(), "message_elem_array[0].text_elem_content");
        assert_eq!(
            err.to_string(),
            "message_elem_array[0].text_elem_content: required key is missing"
        );
        let root = ModelError::WrongType {
            path: String::new(),
            expected: "an object",
            found: "an array",
        };
        assert_eq!(
            root.to_string(),
            "JSON document: expected an object, found an array"
        );
        assert_eq!(root.within("json_msg_param").path(), "json_msg_param");
    }
}

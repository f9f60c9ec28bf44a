//! Message extensions.

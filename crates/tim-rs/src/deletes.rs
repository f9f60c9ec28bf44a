//! Cloud deletes of this user's history.

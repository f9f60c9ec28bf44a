//! `tim-proto`: the tim wire protocol v1.

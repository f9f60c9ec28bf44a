//! Proptest strategies for every model type (with the `arbitrary` feature, and in this crate's
//! tests), so property tests elsewhere can say "any message survives this".
//!
//! Every model type implements [`ArbField`]; `arbitrary::<T>()` is the strategy to use.
//! Collections are kept short (0..3 items) so generated messages stay small, and merged
//! messages nest only one level deep.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// A model type with a proptest strategy.
pub trait ArbField: Sized + std::fmt::Debug {
    /// The strategy generating any value of the type.
    fn strategy() -> BoxedStrategy<Self>;
}

/// The strategy generating any `T`.
pub fn arbitrary<T: ArbField>() -> BoxedStrategy<T> {
    T::strategy()
}

macro_rules! any_field {
    ($($ty:ty),*) => {$(
        impl ArbField for $ty {
            fn strategy() -> BoxedStrategy<Self> {
                any::<$ty>().boxed()
            }
        }
    )*};
}

any_field!(String, bool, u32, u64, i32, i64);

impl ArbField for f64 {
    /// Finite values only: JSON has no NaN or infinity.
    fn strategy() -> BoxedStrategy<Self> {
        (proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO)
            .boxed()
    }
}

impl<T: ArbField + 'static> ArbField for Vec<T> {
    fn strategy() -> BoxedStrategy<Self> {
        proptest::collection::vec(T::strategy(), 0..3).boxed()
    }
}

impl<T: ArbField + 'static> ArbField for Option<T> {
    fn strategy() -> BoxedStrategy<Self> {
        proptest::option::of(T::strategy()).boxed()
    }
}

std::thread_local! {
    /// How many merge elements enclose the strategy being built: strategies are built eagerly,
    /// so without this bound Message -> Elem -> Merge -> Message would recurse forever.
    static MERGE_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `build` one merge level deeper, or returns `None` when merges may not nest further.
pub(crate) fn inside_merge<T>(build: impl FnOnce() -> T) -> Option<T> {
    MERGE_DEPTH.with(|depth| {
        if depth.get() >= 1 {
            return None;
        }
        depth.set(depth.get() + 1);
        let built = build();
        depth.set(depth.get() - 1);
        Some(built)
    })
}

//! Mapping a list on every core, keeping its order: what loading a rule
//! set does with its packs and its rules.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to each item, on as many threads as the machine has cores
/// (the calling thread among them), results in the items' order.
///
/// Items are taken one at a time in order, so a long item does not hold
/// up the short ones dealt after it, as fixed shares would.
pub(crate) fn map_in_order<T, R, F>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let count = items.len();
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(at) else {
                return done;
            };
            let item = slot
                .lock()
                .expect("no thread panics holding a slot")
                .take()
                .expect("each slot is taken once");
            done.push((at, f(item)));
        }
    };
    let mut results: Vec<(usize, R)> = Vec::with_capacity(count);
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        results.extend(work());
        for helper in helpers {
            results.extend(helper.join().expect("mapped functions do not panic"));
        }
    });
    results.sort_unstable_by_key(|&(at, _)| at);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..500).collect();
        let squares = map_in_order(items, |n| {
            // Uneven work, so threads finish out of order.
            std::thread::sleep(std::time::Duration::from_micros(n % 7 * 20));
            n * n
        });
        assert_eq!(squares, (0..500).map(|n| n * n).collect::<Vec<u64>>());
        assert!(map_in_order(Vec::<u8>::new(), |n| n).is_empty());
    }
}

//! The weight table of a model: open addressing over the feature hashes (linear probing,
//! at most half full), so that a look-up's slot is known from the hash alone and can be
//! fetched into the cache before it is read; every look-up compares the full 64-bit hash.

/// A slot's key when it is empty; a feature whose hash is this value is kept aside.
const EMPTY: u64 = 0;

#[derive(Clone)]
pub struct Weights {
    slots: Vec<(u64, f32)>,
    mask: usize,
    len: usize,
    /// The weight of a feature whose hash is `EMPTY`.
    empty_key: Option<f32>,
}

impl Weights {
    pub fn new(pairs: &[(u64, f32)]) -> Weights {
        let size = (pairs.len() * 2).next_power_of_two().max(16);
        let mut w = Weights { slots: vec![(EMPTY, 0.0); size], mask: size - 1, len: 0, empty_key: None };
        for &(h, v) in pairs {
            w.insert(h, v);
        }
        w
    }

    /// A later weight for the same hash replaces the earlier.
    fn insert(&mut self, h: u64, v: f32) {
        if h == EMPTY {
            self.len += usize::from(self.empty_key.replace(v).is_none());
            return;
        }
        let mut i = h as usize & self.mask;
        loop {
            match self.slots[i].0 {
                EMPTY => {
                    self.slots[i] = (h, v);
                    self.len += 1;
                    return;
                }
                k if k == h => {
                    self.slots[i].1 = v;
                    return;
                }
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The weight of the feature with hash `h`; 0 when the model does not know it.
    #[inline]
    pub fn get(&self, h: u64) -> f32 {
        if h == EMPTY {
            return self.empty_key.unwrap_or(0.0);
        }
        let mut i = h as usize & self.mask;
        loop {
            match self.slots[i] {
                (EMPTY, _) => return 0.0,
                (k, v) if k == h => return v,
                _ => i = (i + 1) & self.mask,
            }
        }
    }

    /// Asks the CPU to bring `h`'s first slot into the cache; a hint, with no effect on results.
    #[inline]
    pub fn prefetch(&self, h: u64) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch reads nothing and never faults; SSE is in every x86-64 CPU, and
        // the address is a slot's, in bounds.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (&self.slots[h as usize & self.mask] as *const (u64, f32)).cast(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_put_and_nothing_else() {
        // Colliding home slots, a repeated key (the last weight wins) and the empty key.
        let pairs = [(16, 1.0), (32, 2.0), (48, 3.0), (15, 4.0), (32, 5.0), (EMPTY, 6.0), (u64::MAX, 7.0)];
        let w = Weights::new(&pairs);
        assert_eq!(w.len(), 6);
        for (h, v) in [(16, 1.0), (32, 5.0), (48, 3.0), (15, 4.0), (EMPTY, 6.0), (u64::MAX, 7.0), (64, 0.0), (17, 0.0)] {
            assert_eq!(w.get(h), v, "{h}");
            w.prefetch(h);
        }
        assert_eq!(Weights::new(&[]).get(EMPTY), 0.0);
    }
}

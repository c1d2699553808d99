/// Maps byte offsets of the clean text back to byte offsets of the source it was made
/// from, as tokenizers' `NormalizedString` does. Readers build it while they transform;
/// passes never change the text, so it holds for every span of every layer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Alignment {
    /// Points where the mapping changes: (text offset, source offset), sorted by text
    /// offset. Between two points, text and source advance together.
    points: Vec<(usize, usize)>,
    text_len: usize,
}

impl Alignment {
    pub fn identity(len: usize) -> Alignment {
        Alignment { points: vec![(0, 0)], text_len: len }
    }

    /// Starts an alignment to be built piece by piece with [`Alignment::push`].
    pub fn builder() -> Alignment {
        Alignment { points: Vec::new(), text_len: 0 }
    }

    /// Records that the text from `text_at` on comes from the source at `source_at`.
    pub fn push(&mut self, text_at: usize, source_at: usize) {
        if let Some(&(t, s)) = self.points.last() {
            if text_at - t == source_at.wrapping_sub(s) {
                return; // still advancing together
            }
        }
        self.points.push((text_at, source_at));
    }

    pub fn finish(mut self, text_len: usize) -> Alignment {
        if self.points.is_empty() {
            self.points.push((0, 0));
        }
        self.text_len = text_len;
        self
    }

    /// The source byte offset that text byte offset `at` came from.
    pub fn to_source(&self, at: usize) -> usize {
        let k = self.points.partition_point(|&(t, _)| t <= at);
        if k == 0 {
            return at;
        }
        let (t, s) = self.points[k - 1];
        s + (at - t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_a_replaced_piece() {
        // source "ab\xFFcd" decoded to "ab\u{FFFD}cd": one byte became three.
        let mut a = Alignment::builder();
        a.push(0, 0);
        a.push(2, 2);
        a.push(5, 3);
        let a = a.finish(7);
        assert_eq!(a.to_source(1), 1);
        assert_eq!(a.to_source(2), 2);
        assert_eq!(a.to_source(5), 3);
        assert_eq!(a.to_source(6), 4);
    }
}

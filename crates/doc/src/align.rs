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

    /// This alignment (text → middle) followed by `outer` (middle → source): text → source.
    /// The text's end maps to where the middle's end ends in the source (`outer`'s end
    /// point, when it has one: a last character longer in the text than in the source).
    pub fn then(&self, outer: &Alignment) -> Alignment {
        let mut out = Alignment::builder();
        for (i, &(t, m)) in self.points.iter().enumerate() {
            if i > 0 && t == self.text_len {
                break; // the end, mapped below
            }
            let t_end = self.points.get(i + 1).map_or(self.text_len, |p| p.0);
            let m_end = m + (t_end - t);
            out.push(t, outer.to_source(m));
            let mut k = outer.points.partition_point(|&(x, _)| x <= m);
            while let Some(&(om, os)) = outer.points.get(k).filter(|p| p.0 < m_end) {
                out.push(t + (om - m), os);
                k += 1;
            }
        }
        if self.text_len > 0 {
            out.push(self.text_len, outer.to_source_end(self.to_source_end(self.text_len)));
        }
        out.finish(self.text_len)
    }

    /// The alignment of the piece `[start, end)` of the text, as a text of its own.
    pub fn slice(&self, start: usize, end: usize) -> Alignment {
        let mut out = Alignment::builder();
        out.push(0, self.to_source(start));
        let k = self.points.partition_point(|&(t, _)| t <= start);
        for &(t, s) in self.points[k..].iter().take_while(|p| p.0 < end) {
            out.push(t - start, s);
        }
        if end > start {
            out.push(end - start, self.to_source_end(end));
        }
        out.finish(end - start)
    }

    /// The source offset for `at` taken as the exclusive end of a span: where the text
    /// before it ends in the source. It differs from [`Alignment::to_source`] where the text
    /// jumps: after a decoded reference (`&rdquo;` → `”`) it is the end of the reference,
    /// not the start of whatever follows.
    pub fn to_source_end(&self, at: usize) -> usize {
        let k = self.points.partition_point(|&(t, _)| t < at);
        match self.points.get(k) {
            Some(&(t, s)) if t == at => s,
            _ if k == 0 => at,
            _ => {
                let (t, s) = self.points[k - 1];
                s + (at - t)
            }
        }
    }

    /// Appends `piece`'s points to an alignment being built, the piece's text starting at
    /// text offset `at`.
    pub fn extend(&mut self, piece: &Alignment, at: usize) {
        for &(t, s) in &piece.points {
            self.push(at + t, s);
        }
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
    fn composed_and_sliced_alignments_keep_the_source_end() {
        // "ab\xFF" decoded: the U+FFFD last is three bytes of text for one of source.
        let mut a = Alignment::builder();
        a.push(0, 0);
        a.push(5, 3); // the decoder's end point
        let decoded = a.finish(5);
        assert_eq!(Alignment::identity(5).then(&decoded).to_source_end(5), 3);
        assert_eq!(Alignment::identity(5).then(&decoded).to_source(5), 3);
        assert_eq!(decoded.slice(1, 5).to_source_end(4), 3);
        assert_eq!(decoded.slice(1, 5).to_source(1), 2);
    }

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
        // The replacement character ends where the invalid byte ends.
        assert_eq!(a.to_source_end(5), 3);
        assert_eq!(a.to_source_end(2), 2);
    }

    #[test]
    fn slices_keep_their_sources() {
        let mut a = Alignment::builder();
        a.push(0, 0);
        a.push(4, 10);
        let a = a.finish(8);
        let s = a.slice(2, 7);
        assert_eq!(s.to_source(0), 2);
        assert_eq!(s.to_source(2), 10);
        assert_eq!(s.to_source(4), 12);
    }

    #[test]
    fn composes_with_an_outer_alignment() {
        // text "xy" came from middle bytes 10.., and middle byte 11 on from source 20.
        let mut inner = Alignment::builder();
        inner.push(0, 10);
        let inner = inner.finish(2);
        let mut outer = Alignment::builder();
        outer.push(0, 0);
        outer.push(11, 20);
        let outer = outer.finish(30);
        let both = inner.then(&outer);
        assert_eq!(both.to_source(0), 10);
        assert_eq!(both.to_source(1), 20);
    }
}

/// Converts byte offsets of a text into Unicode code-point offsets (as Python and
/// PolNeAR count them), in O(log n) a lookup and O(non-ASCII chars) memory.
pub struct CharIndex {
    /// For each multi-byte char: (byte offset just after it, extra bytes so far).
    marks: Vec<(usize, usize)>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut marks = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (i, c) in text.char_indices() {
                let n = c.len_utf8();
                if n > 1 {
                    extra += n - 1;
                    marks.push((i + n, extra));
                }
            }
        }
        CharIndex { marks }
    }

    /// The code-point offset of a byte offset that lies on a char boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        let k = self.marks.partition_point(|&(after, _)| after <= byte);
        if k == 0 {
            byte
        } else {
            byte - self.marks[k - 1].1
        }
    }

    /// The byte offset of a code-point offset.
    pub fn byte_of(&self, ch: usize) -> usize {
        // Char offset just after each mark is after - extra; find the last mark at or before ch.
        let k = self.marks.partition_point(|&(after, extra)| after - extra <= ch);
        if k == 0 {
            ch
        } else {
            ch + self.marks[k - 1].1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_mixed_text() {
        let text = "a “b” é 日本 z";
        let idx = CharIndex::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_of(bi), ci);
            assert_eq!(idx.byte_of(ci), bi);
        }
        assert_eq!(idx.char_of(text.len()), text.chars().count());
        assert_eq!(idx.byte_of(text.chars().count()), text.len());
    }
}

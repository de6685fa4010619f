//! What ink analysis found on a page, as `extract` is given it: seals (領収印, 訂正印, 角印),
//! strike-throughs (訂正) and how the page was captured. Only the data: the pixel analysis that
//! finds them is [`crate::ink`], run by the reading of a page before `extract` is called; `extract`
//! judges what they mean (`fields::read_marks`).

use crate::document::BBox;

/// How the seal was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Red,
    Gray,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seal {
    pub bbox: BBox,
    pub ink: Ink,
    /// Whether its ink closes a ring around its centre, as a round 訂正印's does; a cluster of
    /// light print (a small corrected value scans mid-gray too) does not.
    pub ring: bool,
}

impl Seal {
    /// Whether the seal is of a 領収印's or 角印's size: 2.2 characters a side or more (a 訂正印 or
    /// a 認印 is smaller).
    pub fn is_large(&self, char_h: u32) -> bool {
        self.bbox.w * 5 >= char_h * 11 && self.bbox.h * 5 >= char_h * 11
    }
}

/// What the detectors found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub seals: Vec<Seal>,
    /// Each covers the struck text (a double line is one strike).
    pub strikes: Vec<BBox>,
    /// How the page was captured, which bounds what the detectors can be sure they did not see.
    pub capture: Capture,
    /// The page came in colour (its pixels carry hue, not gray saved as RGB): a red stamp on it
    /// shows red, so on a photo the red finder seeing none is seeing that there is none.
    pub in_colour: bool,
    /// Stamp-gray ink of a seal's size round which no seal's outline was found (a stamp the print
    /// over it hides, or light print): no seal, and no sure absence of one either.
    pub traces: Vec<BBox>,
    /// Gray rings found over a strike from its outline alone ([`crate::ink::ring_over`]): a
    /// 訂正印, or the struck print's blurred edges and a table's rules closing round it. No seal,
    /// and no sure absence of one either.
    pub unsure_rings: Vec<BBox>,
}

/// How a page image was captured, as far as ink analysis is concerned. A scanner sets paper to
/// white and ink to black; a phone photo leaves the paper gray under uneven light (shadows and
/// folds draw lines a strike detector takes for strikes), and a fax keeps two levels only (a red
/// seal becomes a halftone of specks). On the last two an absence (no seal) or a presence that
/// shadows imitate (a strike) is not seen surely.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Capture {
    /// White paper, black ink, grays only at glyph edges.
    #[default]
    Scan,
    /// Much of the page is neither paper-white nor ink-black.
    Photo,
    /// Every pixel is white or black.
    Binary,
}

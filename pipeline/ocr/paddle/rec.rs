//! PP-OCRv6's line recognizer: line images → text with a score and a position for each character.
//!
//! Each crop is scaled to 48 pixels high and normalised as PaddleOCR does; crops of similar width
//! are run together in one batch, padded to the widest (the network's cost grows with width, so
//! sorting by width wastes little on padding). The network gives, for every 8 or so input columns (a
//! "time step"), a probability for each class: blank, the 18,708 characters of its list (stored in
//! the model's metadata under `character`), space. Greedy CTC decoding takes the most probable
//! class at each step — among the classes a [`Script`] allows — and drops blanks and repeats; a
//! character's score is its best probability, its position the steps it was read at. Called by
//! [`super::Paddle`].

use image::imageops::FilterType;
use image::GrayImage;
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use super::onnx_error;
use super::script::{Masks, Script};
use crate::ocr::OcrError;

/// The height the network reads lines at.
pub const LINE_HEIGHT: u32 = 48;
/// Narrowest input. PaddleOCR pads every line to at least 320 (its `rec_img_shape`); measured on 12
/// corpus pages (seed 7, `examples/paddle_page.rs`), padding only to a square read the same text
/// (spaces and two seal glyphs aside) and took 25 % less recognizer time.
const MIN_WIDTH: u32 = LINE_HEIGHT;
/// Most lines in one batch (PaddleOCR's `rec_batch_num`).
const MAX_BATCH: usize = 6;
/// A batch takes lines until the widest is this many times the narrowest (padding is wasted work).
const BATCH_WIDTH_SPREAD: f32 = 1.5;
/// A batch takes lines while, padded to the widest, they come to at most this many input columns.
/// The network's output is a probability for each of its 18,710 classes at every 8 columns, 4
/// bytes each: 9 KB a column, so this bounds a batch's output to about 22 MB. Unbounded, six
/// page-wide bands of print (the lost-print look's) came to 100 MB at once, the peak of a whole
/// `kyufu run --once` (one worker, `make bench`'s pages: 336 → 406 MB during that one batch; with
/// the bound, the run's peak was 368 MB).
const MAX_BATCH_COLUMNS: u32 = 2400;

/// One character read, with where it was read in its line image.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub text: String,
    /// The network's probability for it, 0–1 (over all classes, even when decoding was limited to a
    /// script: a low score then says the network preferred a character the script excludes).
    pub score: f32,
    /// First and last column of the line image (inclusive, exclusive) of the time steps it was read
    /// at: where its spike is, not its whole ink.
    pub x0: f32,
    pub x1: f32,
}

/// The recognizer network and its character list.
pub struct Recognizer {
    session: Session,
    /// Class index → text: blank (index 0, empty), the model's list, space.
    classes: Vec<String>,
    masks: Masks,
}

impl Recognizer {
    /// Reads the character list from the model's metadata.
    pub fn new(session: Session) -> Result<Recognizer, OcrError> {
        let list = session
            .metadata()
            .map_err(onnx_error)?
            .custom("character")
            .ok_or_else(|| {
                OcrError::Onnx("the recognizer has no `character` metadata".to_string())
            })?;
        let mut classes = vec![String::new()];
        classes.extend(list.lines().map(str::to_string));
        classes.push(" ".to_string());
        let masks = Masks::new(&classes);
        Ok(Recognizer {
            session,
            classes,
            masks,
        })
    }

    /// Reads each crop as one line, decoding within `script`; the result is in the order of `crops`.
    pub fn recognize(
        &mut self,
        crops: &[GrayImage],
        script: Script,
    ) -> Result<Vec<Vec<Glyph>>, OcrError> {
        let mut order: Vec<usize> = (0..crops.len()).collect();
        let ratio = |i: usize| {
            let (w, h) = crops[i].dimensions();
            w as f32 / h.max(1) as f32
        };
        order.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)));
        let mut out: Vec<Vec<Glyph>> = vec![Vec::new(); crops.len()];
        let mut start = 0;
        while start < order.len() {
            let mut end = start + 1;
            // Sorted by width, the line `end` is the widest of the batch it would join.
            while end < order.len()
                && end - start < MAX_BATCH
                && ratio(order[end]) <= ratio(order[start]).max(1.0) * BATCH_WIDTH_SPREAD
                && (end - start + 1) as u32 * padded_width(&crops[order[end]]) <= MAX_BATCH_COLUMNS
            {
                end += 1;
            }
            let batch: Vec<&GrayImage> = order[start..end].iter().map(|&i| &crops[i]).collect();
            for (glyphs, &i) in self
                .run_batch(&batch, script)?
                .into_iter()
                .zip(&order[start..end])
            {
                out[i] = glyphs;
            }
            start = end;
        }
        Ok(out)
    }

    fn run_batch(
        &mut self,
        crops: &[&GrayImage],
        script: Script,
    ) -> Result<Vec<Vec<Glyph>>, OcrError> {
        let started = crate::ocr::tally::thread_cpu_us();
        let widths: Vec<u32> = crops.iter().map(|c| scaled_width(c)).collect();
        let width = crops.iter().map(|c| padded_width(c)).max().unwrap_or(0);
        let (h, w) = (LINE_HEIGHT as usize, width as usize);
        // Padding is 0 after normalisation (mid-grey), as PaddleOCR pads.
        let mut input = Array4::<f32>::zeros((crops.len(), 3, h, w));
        for (n, (crop, &cw)) in crops.iter().zip(&widths).enumerate() {
            let scaled = image::imageops::resize(*crop, cw, LINE_HEIGHT, FilterType::Triangle);
            for (x, y, p) in scaled.enumerate_pixels() {
                let v = f32::from(p[0]) / 127.5 - 1.0;
                for c in 0..3 {
                    input[[n, c, y as usize, x as usize]] = v;
                }
            }
        }
        let outputs = self
            .session
            .run(ort::inputs![
                TensorRef::from_array_view(&input).map_err(onnx_error)?
            ])
            .map_err(onnx_error)?;
        let (shape, probs) = outputs[0].try_extract_tensor::<f32>().map_err(onnx_error)?;
        let classes = self.classes.len();
        if shape.len() != 3 || shape[0] as usize != crops.len() || shape[2] as usize != classes {
            return Err(OcrError::Onnx(format!(
                "recognizer output of shape {shape:?} for {} lines and {classes} classes",
                crops.len()
            )));
        }
        let steps = shape[1] as usize;
        let allowed = self.masks.get(script);
        let lines = crops.len() as u32;
        let read = crops
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(n, (crop, &cw))| {
                let rows = &probs[n * steps * classes..(n + 1) * steps * classes];
                // Time step → column of the crop: steps cover the padded input evenly.
                let to_crop = width as f32 / steps as f32 * crop.width() as f32 / cw as f32;
                decode(rows, classes, allowed)
                    .into_iter()
                    .map(|(class, score, t0, t1)| Glyph {
                        text: self.classes[class].clone(),
                        score,
                        x0: t0 as f32 * to_crop,
                        x1: t1 as f32 * to_crop,
                    })
                    .collect()
            })
            .collect();
        crate::ocr::tally::record(|| "paddle_rec".to_string(), lines, started);
        Ok(read)
    }
}

/// The width a crop is scaled to at [`LINE_HEIGHT`], keeping its aspect.
fn scaled_width(crop: &GrayImage) -> u32 {
    let (w, h) = crop.dimensions();
    ((w as f32 * LINE_HEIGHT as f32 / h.max(1) as f32).ceil() as u32).max(1)
}

/// The width the network reads a crop at, alone in its batch: scaled, at least [`MIN_WIDTH`], in
/// whole time steps of 8 columns.
fn padded_width(crop: &GrayImage) -> u32 {
    scaled_width(crop).max(MIN_WIDTH).div_ceil(8) * 8
}

/// Greedy CTC: the most probable allowed class at each step; a run of one class is one character;
/// blanks separate. Returns (class, best probability, first step, step after the last).
fn decode(rows: &[f32], classes: usize, allowed: &[bool]) -> Vec<(usize, f32, usize, usize)> {
    let mut out: Vec<(usize, f32, usize, usize)> = Vec::new();
    let mut prev = 0;
    for (t, row) in rows.chunks_exact(classes).enumerate() {
        let (best, p) = row.iter().enumerate().filter(|(c, _)| allowed[*c]).fold(
            (0, f32::MIN),
            |acc, (c, &p)| if p > acc.1 { (c, p) } else { acc },
        );
        if best != 0 {
            match out.last_mut() {
                Some(last) if best == prev => {
                    last.1 = last.1.max(p);
                    last.3 = t + 1;
                }
                _ => out.push((best, p, t, t + 1)),
            }
        }
        prev = best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_drops_blanks_and_repeats_and_keeps_letters_a_blank_separates() {
        // Classes: blank, a, b. Steps: a a blank a b b blank.
        let p = |c: usize| {
            let mut row = [0.05f32; 3];
            row[c] = 0.9;
            row
        };
        let rows: Vec<f32> = [1, 1, 0, 1, 2, 2, 0].iter().flat_map(|&c| p(c)).collect();
        let got = decode(&rows, 3, &[true, true, true]);
        assert_eq!(
            got.iter().map(|g| (g.0, g.2, g.3)).collect::<Vec<_>>(),
            vec![(1, 0, 2), (1, 3, 4), (2, 4, 6)]
        );
        // Without `b`, its steps read as the next best allowed class (here: a, 0.05 vs blank 0.05:
        // the first, blank, wins ties).
        let got = decode(&rows, 3, &[true, true, false]);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![1, 1]);
    }
}

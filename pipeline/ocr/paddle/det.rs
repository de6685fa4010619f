//! PP-OCRv6's text detector: a page image → one box per text line, in page pixels.
//!
//! The network gives, for each pixel of a downscaled page, the probability that it is text (the
//! "DB" map). The post-processing follows PaddleOCR's (`DBPostProcess`: threshold 0.3, a 2×2
//! dilation, one box per connected region, boxes whose mean probability is under 0.5 dropped, each
//! box grown by area × 1.6 / perimeter) with one simplification: boxes are axis-aligned rectangles,
//! not rotated ones, because `prepare` has already deskewed the page. Reading what is in a box is
//! `rec`'s job. Called by [`super::Paddle`].

use image::imageops::FilterType;
use image::GrayImage;
use ndarray::Array4;
use ort::session::Session;
use ort::value::TensorRef;

use super::onnx_error;
use crate::document::BBox;
use crate::ocr::OcrError;

/// A pixel is text where the map says at least this (PaddleOCR's `thresh`).
const PIXEL_THRESHOLD: f32 = 0.3;
/// A region is a line when its mean probability is at least this (PaddleOCR's `box_thresh`).
const BOX_THRESHOLD: f32 = 0.5;
/// How far a region is grown back to the line's full extent: the network is trained on shrunk
/// boxes (PaddleOCR's `unclip_ratio`).
const UNCLIP_RATIO: f32 = 1.6;
/// Regions whose short side (in map pixels) is smaller are specks (PaddleOCR's `min_size`).
const MIN_SIDE: u32 = 3;
/// Two boxes whose tops differ by less than this many page pixels are on one line: read left to
/// right (PaddleOCR sorts the same way).
const SAME_LINE_PX: u32 = 10;

/// The detector network and the size pages are scaled to.
pub struct Detector {
    session: Session,
    max_side: u32,
}

impl Detector {
    pub fn new(session: Session, max_side: u32) -> Detector {
        Detector {
            session,
            max_side: max_side.max(32) / 32 * 32,
        }
    }

    /// The boxes of the text lines on `page`, top to bottom and, on one line, left to right.
    pub fn detect(&mut self, page: &GrayImage) -> Result<Vec<BBox>, OcrError> {
        let started = crate::ocr::tally::thread_cpu_us();
        let (width, height) = page.dimensions();
        let (map_w, map_h) = scaled_size(width, height, self.max_side);
        let small = image::imageops::resize(page, map_w, map_h, FilterType::Triangle);
        // (v / 255 − 0.5) / 0.5 on three identical channels (PaddleOCR's mean and std are 0.5).
        let plane = (map_w * map_h) as usize;
        let mut data = Vec::with_capacity(plane * 3);
        for _ in 0..3 {
            data.extend(small.as_raw().iter().map(|&v| f32::from(v) / 127.5 - 1.0));
        }
        let input = Array4::from_shape_vec((1, 3, map_h as usize, map_w as usize), data)
            .map_err(|e| OcrError::Onnx(e.to_string()))?;
        let outputs = self
            .session
            .run(ort::inputs![
                TensorRef::from_array_view(&input).map_err(onnx_error)?
            ])
            .map_err(onnx_error)?;
        let (shape, probs) = outputs[0].try_extract_tensor::<f32>().map_err(onnx_error)?;
        if shape.len() != 4 || probs.len() != plane {
            return Err(OcrError::Onnx(format!(
                "detector output of shape {shape:?}"
            )));
        }
        let map = ProbMap {
            probs,
            width: map_w,
            height: map_h,
        };
        let mut boxes: Vec<BBox> = map
            .regions()
            .into_iter()
            .map(|r| r.scale(map_w, map_h, width, height))
            .filter(|b| b.w > 0 && b.h > 0)
            .collect();
        sort_reading_order(&mut boxes);
        crate::ocr::tally::record(|| "paddle_det".to_string(), 0, started);
        Ok(boxes)
    }
}

/// The detector's input size: the long side at most `max_side`, each side a multiple of 32 (the
/// network halves the image five times), never below 32.
pub fn scaled_size(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height).max(1) as f32;
    let ratio = if long > max_side as f32 {
        max_side as f32 / long
    } else {
        1.0
    };
    let round32 = |v: u32| ((v as f32 * ratio / 32.0).round() as u32).max(1) * 32;
    (round32(width), round32(height))
}

struct ProbMap<'a> {
    probs: &'a [f32],
    width: u32,
    height: u32,
}

/// A connected text region in map pixels: its box (inclusive bounds) and mean probability.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Region {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Region {
    /// Into page pixels, clamped to the page.
    fn scale(self, map_w: u32, map_h: u32, width: u32, height: u32) -> BBox {
        let sx = width as f32 / map_w as f32;
        let sy = height as f32 / map_h as f32;
        let x0 = (self.x0 * sx).round().clamp(0.0, width as f32) as u32;
        let y0 = (self.y0 * sy).round().clamp(0.0, height as f32) as u32;
        let x1 = (self.x1 * sx).round().clamp(0.0, width as f32) as u32;
        let y1 = (self.y1 * sy).round().clamp(0.0, height as f32) as u32;
        BBox {
            x: x0,
            y: y0,
            w: x1.saturating_sub(x0),
            h: y1.saturating_sub(y0),
        }
    }
}

impl ProbMap<'_> {
    fn at(&self, x: u32, y: u32) -> f32 {
        self.probs[(y * self.width + x) as usize]
    }

    /// Thresholded, dilated by 2×2 (as PaddleOCR does, so strokes of one character join), labelled
    /// 8-connected; each region kept when its box is big and sure enough, then unclipped.
    fn regions(&self) -> Vec<Region> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut mask = vec![false; w * h];
        for y in 0..h {
            for x in 0..w {
                // 2×2 dilation with the anchor top-left: a pixel is set when it or its left, upper or
                // upper-left neighbour is above the threshold.
                let hit = |dx: usize, dy: usize| {
                    x >= dx && y >= dy && self.probs[(y - dy) * w + (x - dx)] > PIXEL_THRESHOLD
                };
                mask[y * w + x] = hit(0, 0) || hit(1, 0) || hit(0, 1) || hit(1, 1);
            }
        }
        let mut seen = vec![false; w * h];
        let mut stack = Vec::new();
        let mut regions = Vec::new();
        for start in 0..w * h {
            if !mask[start] || seen[start] {
                continue;
            }
            seen[start] = true;
            stack.push(start);
            let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
            while let Some(i) = stack.pop() {
                let (x, y) = (i % w, i / w);
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                    for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                        let j = ny * w + nx;
                        if mask[j] && !seen[j] {
                            seen[j] = true;
                            stack.push(j);
                        }
                    }
                }
            }
            if let Some(region) = self.keep(x0 as u32, y0 as u32, x1 as u32, y1 as u32) {
                regions.push(region);
            }
        }
        regions
    }

    /// The region's box unclipped, or `None` for a speck or an unsure region.
    fn keep(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> Option<Region> {
        let (bw, bh) = ((x1 - x0) as f32, (y1 - y0) as f32);
        if bw.min(bh) < MIN_SIDE as f32 {
            return None;
        }
        let mut sum = 0.0;
        for y in y0..=y1 {
            for x in x0..=x1 {
                sum += self.at(x, y);
            }
        }
        let mean = sum / ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32;
        if mean < BOX_THRESHOLD {
            return None;
        }
        let grow = bw * bh * UNCLIP_RATIO / (2.0 * (bw + bh));
        if (bw.min(bh) + 2.0 * grow) < (MIN_SIDE + 2) as f32 {
            return None;
        }
        Some(Region {
            x0: (x0 as f32 - grow).max(0.0),
            y0: (y0 as f32 - grow).max(0.0),
            x1: (x1 as f32 + grow).min(self.width as f32),
            y1: (y1 as f32 + grow).min(self.height as f32),
        })
    }
}

/// Top to bottom; boxes whose tops are within [`SAME_LINE_PX`] of the previous one left to right.
fn sort_reading_order(boxes: &mut [BBox]) {
    boxes.sort_by_key(|b| (b.y, b.x));
    let mut line = 0u32;
    let mut keyed: Vec<(u32, BBox)> = Vec::with_capacity(boxes.len());
    for (i, b) in boxes.iter().enumerate() {
        if i > 0 && b.y - boxes[i - 1].y >= SAME_LINE_PX {
            line += 1;
        }
        keyed.push((line, *b));
    }
    keyed.sort_by_key(|(line, b)| (*line, b.x));
    for (slot, (_, b)) in boxes.iter_mut().zip(keyed) {
        *slot = b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_scale_to_the_long_side_in_multiples_of_32() {
        // An A4 page at 300 dpi, an A5 landscape one, and a small crop that is not enlarged.
        assert_eq!(scaled_size(2480, 3508, 736), (512, 736));
        assert_eq!(scaled_size(2480, 1748, 736), (736, 512));
        assert_eq!(scaled_size(300, 100, 736), (288, 96));
        assert_eq!(scaled_size(10, 10, 736), (32, 32));
    }

    #[test]
    fn a_sure_region_becomes_one_grown_box_and_a_speck_none() {
        let (w, h) = (64u32, 32u32);
        let mut probs = vec![0.0f32; (w * h) as usize];
        // A line 30×6 map pixels at (10, 10), and a 2×2 speck at (50, 25).
        for y in 10..16 {
            for x in 10..40 {
                probs[(y * w + x) as usize] = 0.9;
            }
        }
        for y in 25..27 {
            for x in 50..52 {
                probs[(y * w + x) as usize] = 0.9;
            }
        }
        let map = ProbMap {
            probs: &probs,
            width: w,
            height: h,
        };
        let regions = map.regions();
        assert_eq!(regions.len(), 1, "{regions:?}");
        let r = regions[0];
        // Dilation adds one pixel right and below; the unclip grows each side by ~3.8 pixels.
        assert!(
            r.x0 < 10.0 && r.x0 > 5.0 && r.y0 < 10.0 && r.y0 > 5.0,
            "{r:?}"
        );
        assert!(r.x1 > 40.0 && r.y1 > 16.0 && r.y1 < 22.0, "{r:?}");
    }

    #[test]
    fn boxes_sort_by_line_then_left_to_right() {
        let b = |x, y| BBox { x, y, w: 10, h: 10 };
        let mut boxes = vec![b(200, 104), b(10, 100), b(10, 300), b(500, 98)];
        sort_reading_order(&mut boxes);
        assert_eq!(
            boxes.iter().map(|b| (b.x, b.y)).collect::<Vec<_>>(),
            vec![(10, 100), (200, 104), (500, 98), (10, 300)]
        );
    }
}

//! The phone camera: a sheet photographed lying on a desk, as applicants send them.
//!
//! The sheet is seen in perspective (the phone held a little tilted and turned), lit unevenly (a
//! gradient and a darker rim), often half under a shadow (the phone or a hand), with the desk around
//! it, a colour cast from indoor light, slight blur and sensor noise. The picture carries 72 dpi as a
//! phone's JPEG does: its pixels say nothing about the paper's size. Deterministic from the caller's
//! RNG. Called by `scan::degrade`; it draws nothing on the sheet and chooses no file format.

use image::RgbImage;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::scan::{blur, noise, Page};

/// The resolution a phone writes into its JPEGs.
const PHONE_DPI: u32 = 72;

/// Photographs `sheet`: returns the picture (RGB).
pub fn shoot(sheet: RgbImage, rng: &mut ChaCha8Rng) -> Page {
    let (w, h) = (sheet.width() as f32, sheet.height() as f32);
    // The frame: the sheet fills 78–90 % of it, in the phone's 3:4 (or 4:3) shape.
    let k = rng.random_range(1.12..1.28);
    let (cw, ch) = if h >= w {
        let ch = h * k;
        ((w * k).max(ch * 0.75), ch)
    } else {
        let cw = w * k;
        (cw, (h * k).max(cw * 0.75))
    };
    let (cw, ch) = (cw.round() as u32, ch.round() as u32);
    let corners = sheet_corners(rng, w, h, cw as f32, ch as f32);
    let to_sheet = homography(&corners, &[(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]);
    let light = Light::random(rng, cw as f32, ch as f32);
    let desk = desk_colour(rng);
    let mut data = vec![0u8; (cw * ch * 3) as usize];
    let src = sheet.as_raw();
    let sw = sheet.width() as usize;
    for y in 0..ch {
        for x in 0..cw {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let (u, v) = apply(&to_sheet, fx, fy);
            let mut px = if u >= 0.0 && v >= 0.0 && u < w - 1.0 && v < h - 1.0 {
                bilinear(src, sw, u - 0.5, v - 0.5)
            } else {
                // The desk: its colour, a faint grain.
                let grain = ((x as f32 * 0.013).sin() * (y as f32 * 0.021).cos()) * 6.0;
                [desk[0] + grain, desk[1] + grain, desk[2] + grain]
            };
            let l = light.at(fx, fy);
            for (c, v) in px.iter_mut().enumerate() {
                *v *= l * light.cast[c];
            }
            let i = ((y * cw + x) * 3) as usize;
            for c in 0..3 {
                data[i + c] = px[c].round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    let mut page = Page {
        width: cw,
        height: ch,
        channels: 3,
        data,
        dpi: PHONE_DPI,
    };
    if rng.random_bool(0.6) {
        blur(&mut page, &[1, 2, 1]);
    }
    noise(&mut page, rng.random_range(1.0..2.5), rng);
    page
}

/// Where the sheet's corners (top-left, top-right, bottom-right, bottom-left) land in the frame:
/// centred, turned up to 4°, the far edge narrower (the phone tilted), each corner a little off.
fn sheet_corners(rng: &mut ChaCha8Rng, w: f32, h: f32, cw: f32, ch: f32) -> [(f32, f32); 4] {
    let (cx, cy) = (
        cw / 2.0 + rng.random_range(-0.03..0.03) * cw,
        ch / 2.0 + rng.random_range(-0.03..0.03) * ch,
    );
    let keystone = rng.random_range(0.0..0.07) * w;
    let far_top = rng.random_bool(0.7);
    let jitter = 0.015 * w.min(h);
    let (sin, cos) = rng.random_range(-4.0f32..4.0).to_radians().sin_cos();
    let base = [
        (-w / 2.0, -h / 2.0),
        (w / 2.0, -h / 2.0),
        (w / 2.0, h / 2.0),
        (-w / 2.0, h / 2.0),
    ];
    let mut out = [(0.0, 0.0); 4];
    for (i, (bx, by)) in base.into_iter().enumerate() {
        let narrow = (i < 2) == far_top;
        let bx = if narrow {
            bx - bx.signum() * keystone / 2.0
        } else {
            bx
        };
        let (jx, jy) = (
            rng.random_range(-jitter..jitter),
            rng.random_range(-jitter..jitter),
        );
        out[i] = (cx + bx * cos - by * sin + jx, cy + bx * sin + by * cos + jy);
    }
    out
}

/// The 3×3 projective map (h33 = 1) taking each `from` point to the matching `to` point, by
/// Gaussian elimination on the usual 8×8 system.
fn homography(from: &[(f32, f32); 4], to: &[(f32, f32); 4]) -> [f64; 9] {
    let mut a = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = (from[i].0 as f64, from[i].1 as f64);
        let (u, v) = (to[i].0 as f64, to[i].1 as f64);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8)
            .max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        let pivot_row = a[col];
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / d;
                for (v, p) in row.iter_mut().zip(pivot_row).skip(col) {
                    *v -= f * p;
                }
            }
        }
    }
    let mut h = [0f64; 9];
    for (i, row) in a.iter().enumerate() {
        h[i] = row[8] / row[i];
    }
    h[8] = 1.0;
    h
}

fn apply(h: &[f64; 9], x: f32, y: f32) -> (f32, f32) {
    let (x, y) = (x as f64, y as f64);
    let d = h[6] * x + h[7] * y + h[8];
    (
        ((h[0] * x + h[1] * y + h[2]) / d) as f32,
        ((h[3] * x + h[4] * y + h[5]) / d) as f32,
    )
}

fn bilinear(src: &[u8], w: usize, u: f32, v: f32) -> [f32; 3] {
    let (u, v) = (u.max(0.0), v.max(0.0));
    let (x0, y0) = (u as usize, v as usize);
    let (fx, fy) = (u - x0 as f32, v - y0 as f32);
    let at = |x: usize, y: usize, c: usize| src[(y * w + x) * 3 + c] as f32;
    let mut out = [0f32; 3];
    for (c, o) in out.iter_mut().enumerate() {
        let top = at(x0, y0, c) * (1.0 - fx) + at(x0 + 1, y0, c) * fx;
        let bot = at(x0, y0 + 1, c) * (1.0 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        *o = top * (1.0 - fy) + bot * fy;
    }
    out
}

/// A wooden, grey or dark desk.
fn desk_colour(rng: &mut ChaCha8Rng) -> [f32; 3] {
    match rng.random_range(0..3) {
        0 => [150.0, 112.0, 78.0],
        1 => [118.0, 118.0, 122.0],
        _ => [48.0, 46.0, 50.0],
    }
}

/// How the room lights the frame.
struct Light {
    base: f32,
    /// Brightness change per frame width/height (a lamp to one side).
    gx: f32,
    gy: f32,
    vignette: f32,
    /// A shadow: the side of the line `nx·x + ny·y = d` with the larger value, soft over `soft` px.
    shadow: Option<(f32, f32, f32, f32, f32)>,
    cast: [f32; 3],
    size: (f32, f32),
}

impl Light {
    fn random(rng: &mut ChaCha8Rng, cw: f32, ch: f32) -> Light {
        let shadow = rng.random_bool(0.6).then(|| {
            let angle = rng.random_range(0.0..std::f32::consts::TAU);
            let (ny, nx) = angle.sin_cos();
            // The line crosses the frame between a tenth and two fifths of the way in.
            let (mx, my) = (cw / 2.0, ch / 2.0);
            let reach = (nx.abs() * mx + ny.abs() * my) * rng.random_range(0.2..0.8);
            let d = nx * mx + ny * my + reach;
            let depth = rng.random_range(0.55..0.8);
            let soft = rng.random_range(0.02..0.06) * cw.max(ch);
            (nx, ny, d, depth, soft)
        });
        Light {
            base: rng.random_range(0.88..1.0),
            gx: rng.random_range(-0.18..0.18),
            gy: rng.random_range(-0.18..0.18),
            vignette: rng.random_range(0.08..0.22),
            shadow,
            cast: [
                1.0,
                rng.random_range(0.96..1.0),
                rng.random_range(0.86..0.97),
            ],
            size: (cw, ch),
        }
    }

    fn at(&self, x: f32, y: f32) -> f32 {
        let (rx, ry) = (x / self.size.0 - 0.5, y / self.size.1 - 0.5);
        let mut l = self.base + self.gx * rx + self.gy * ry - self.vignette * (rx * rx + ry * ry);
        if let Some((nx, ny, d, depth, soft)) = self.shadow {
            let t = ((nx * x + ny * y - d) / soft + 0.5).clamp(0.0, 1.0);
            l *= 1.0 - t * (1.0 - depth);
        }
        l.clamp(0.3, 1.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_homography_takes_each_corner_where_it_should() {
        let from = [(10.0, 20.0), (300.0, 5.0), (320.0, 400.0), (0.0, 380.0)];
        let to = [(0.0, 0.0), (100.0, 0.0), (100.0, 150.0), (0.0, 150.0)];
        let h = homography(&from, &to);
        for (f, t) in from.iter().zip(&to) {
            let (u, v) = apply(&h, f.0, f.1);
            assert!((u - t.0).abs() < 0.01 && (v - t.1).abs() < 0.01, "{u},{v}");
        }
    }
}

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = image::open(&path).unwrap();
    let mut g = kyufu::ocr::prepare(&img).gray;
    let n = kyufu::extract::marks::erase_dot_leaders(&mut g);
    println!("erased {n}");
    g.save("/tmp/dots_out.png").unwrap();
}

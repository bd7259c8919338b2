//! Writes the seed of the `network_file` target (the tiny network of
//! `silkroute_fuzz::network`, with its search structures) to the path
//! given: `cargo run --example write_seeds -- corpus/network_file/tiny.srnet`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: write_seeds FILE");
    std::fs::write(&path, silkroute_fuzz::network_file_bytes()).unwrap();
}

//! The OD, places and weights CSV readers (`--od`, `--from`/`--to` of a
//! matrix, `--places`, `--weights`), against a small gazetteer. The first
//! byte picks the reader, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silkroute_api::od::{self, ValueColumn};

fuzz_target!(|data: &[u8]| {
    let (selector, rest) = match data.split_first() {
        Some((s, r)) => (*s, r),
        None => return,
    };
    let g = silkroute_fuzz::gazetteer();
    let volume = ValueColumn {
        name: "volume",
        required: true,
        what: "volume",
    };
    match selector % 4 {
        0 => {
            let _ = od::read_pairs(rest, "fuzz.csv", g, None);
        }
        1 => {
            let _ = od::read_pairs(rest, "fuzz.csv", g, Some(volume));
        }
        2 => {
            let _ = od::read_places(rest, "fuzz.csv", g);
        }
        _ => {
            // Weights apply to a set of pairs read first.
            let base = "from,to\nChongqing,Duisburg\nXi'an,Hamburg\nAlmaty,Rotterdam\n";
            if let Ok(mut set) = od::read_pairs(base.as_bytes(), "od.csv", g, None) {
                let _ = set.apply_weights(rest, "fuzz.csv");
            }
        }
    }
});

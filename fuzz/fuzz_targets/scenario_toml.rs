//! A user's scenario file (`--scenarios FILE`): parsed and checked (one
//! target per slowdown, unknown keys refused), then described in words.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(scenarios) = silkroute_api::scenario::from_toml(data, "fuzz.toml") {
        for s in &scenarios {
            let _ = silkroute_api::scenario::describe(s);
        }
    }
});

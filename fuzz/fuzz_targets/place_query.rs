//! Place queries (`--from`, `--to`, `--via`, an OD file's cells): `lat,lon`,
//! UN/LOCODE, IATA, names in English or Chinese, `Name, CC`, against a
//! small gazetteer with homonyms; and type-ahead suggestions.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let g = silkroute_fuzz::gazetteer();
    if let Ok(p) = g.resolve(&text) {
        assert!(p.pos.lat.is_finite() && p.pos.lon.is_finite(), "{text:?} gave {p:?}");
        let _ = p.label();
    }
    let _ = g.suggest(&text, 5);
    let _ = silkroute_route::places::fold(&text);
});

//! Cost-model TOML (`--cost-model FILE`): key-by-key overrides of the
//! defaults, with unknown keys and wrong types refused, then used to
//! price each mode for a cargo (picked by the input's length). Any input
//! is an answer or one error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silkroute_api::Shipment;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cargo = ["feu", "teu", "tonnes:20", "2feu", "tonnes:0.001"][data.len() % 5];
    if let Ok(shipment) = Shipment::parse(cargo, Some(("fuzz.toml", &text))) {
        let m = &shipment.model;
        for mode in silkroute_model::Mode::ALL {
            let _ = m.transport(mode, 1_000_000.0, &shipment.cargo);
            let _ = m.border(mode, &shipment.cargo);
        }
        let _ = m.gauge_change(&shipment.cargo);
        let _ = m.fingerprint();
    }
});

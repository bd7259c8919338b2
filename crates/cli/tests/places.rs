//! Place names and durations on the real network, as a user types them:
//! the alias table (every row names the place it says), a shared name
//! taken as its most populous city with a note on stderr and in the JSON,
//! `St`/`Saint` forms, codes in capitals only, part of a name refused, and
//! compound durations for `reach --within`.

mod common;

use common::{run, stderr, world};
use serde_json::Value;
use silkroute_api::{NetworkSource, NoProgress, Service, ServiceOptions};

fn json(args: &[&str]) -> Value {
    common::json_of(args, run(args))
}

#[test]
fn every_alias_names_its_place_on_the_world_network() {
    let service = Service::open(
        &NetworkSource::File(world().to_path_buf()),
        ServiceOptions::one_shot(),
        &NoProgress,
    )
    .unwrap();
    let table = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/curated/place_aliases.csv"
    );
    let mut reader = csv::Reader::from_path(table).unwrap();
    let mut rows = 0;
    for r in reader.records() {
        let r = r.unwrap();
        let (alias, place) = (&r[0], &r[1]);
        let got = service
            .place(alias)
            .unwrap_or_else(|e| panic!("{alias}: {e}"));
        assert_eq!(got.label(), place, "{alias}");
        rows += 1;
    }
    assert!(rows >= 50, "{rows}");
}

#[test]
fn the_names_of_the_issue_resolve() {
    for (query, place) in [
        ("Ulaanbaatar", "Ulan Bator, MN"),
        ("Basra", "Basrah, IQ"),
        ("Saigon", "Ho Chi Minh City, VN"),
        ("Peking", "Beijing, CN"),
        ("Москва", "Moscow, RU"),
        ("Санкт-Петербург", "Saint Petersburg, RU"),
        ("Алматы", "Almaty, KZ"),
        ("Ташкент", "Tashkent, UZ"),
        ("北京", "Beijing, CN"),
        ("上海", "Shanghai, CN"),
        ("Bombay", "Mumbai, IN"),
        ("Canton", "Guangzhou, CN"),
        ("Rangoon", "Yangon, MM"),
        ("Constantinople", "Istanbul, TR"),
        ("Tiflis", "Tbilisi, GE"),
    ] {
        let v = json(&[
            "route",
            "--from",
            query,
            "--to",
            "Duisburg",
            "--modes",
            "rail,road,sea",
            "--format",
            "json",
        ]);
        let origin = &v["routes"][0]["origin"];
        assert_eq!(origin["name"], place, "{query}: {origin}");
    }
}

#[test]
fn st_petersburg_is_the_russian_one_and_the_note_says_so() {
    for query in ["St Petersburg", "St. Petersburg", "Saint Petersburg"] {
        let args = [
            "route",
            "--from",
            query,
            "--to",
            "Duisburg",
            "--modes",
            "rail,road",
            "--format",
            "json",
        ];
        let out = run(&args);
        let err = stderr(&out);
        let v = common::json_of(&args, out);
        assert_eq!(
            v["routes"][0]["origin"]["name"], "Saint Petersburg, RU",
            "{query}"
        );
        let note = format!(
            "{query}: took Saint Petersburg, RU (pop 5.4 M), the most populous; also St. Petersburg, US (pop 257 k) — write \"{query}, US\" for it"
        );
        assert!(err.contains(&format!("note: {note}")), "{query}: {err}");
        let notes = v["notes"].as_array().unwrap();
        assert_eq!(notes[0], note.as_str(), "{query}");
    }
    // Asked for by country, the US one, and no note.
    let args = [
        "route",
        "--from",
        "St Petersburg, US",
        "--to",
        "Miami",
        "--modes",
        "road",
        "--format",
        "json",
    ];
    let out = run(&args);
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    let v = common::json_of(&args, out);
    assert_eq!(v["routes"][0]["origin"]["name"], "St. Petersburg, US");
    assert_eq!(v["notes"], serde_json::json!([]));
    // `reach` says it too, on stderr and in its JSON.
    let args = [
        "reach",
        "--from",
        "St Petersburg",
        "--within",
        "12h",
        "--modes",
        "rail",
        "--format",
        "json",
    ];
    let out = run(&args);
    assert!(stderr(&out).contains("note: St Petersburg: took Saint Petersburg, RU"));
    let v = common::json_of(&args, out);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("St Petersburg: took")
    );
}

#[test]
fn codes_count_in_capitals_and_part_of_a_name_is_refused() {
    let out = run(&["route", "--from", "ABC", "--to", "Duisburg"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Albacete-Los Llanos Airport (ABC)"));
    let out = run(&["route", "--from", "abc", "--to", "Duisburg"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("unknown place \"abc\"")
            && err.contains("ABC (Albacete-Los Llanos Airport; codes are written in capitals)"),
        "{err}"
    );
    for (part, whole) in [
        ("Chongq", "Chongqing, CN"),
        ("Duis", "Duisburg, DE"),
        ("Ulaan", "Ulan Bator, MN"),
    ] {
        let out = run(&["route", "--from", part, "--to", "Hamburg"]);
        assert_eq!(out.status.code(), Some(2), "{part}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("unknown place \"{part}\"")),
            "{part}: {err}"
        );
        if part != "Ulaan" {
            assert!(err.contains(whole), "{part}: {err}");
        }
    }
}

#[test]
fn reach_takes_compound_durations() {
    let reached = |within: &str| {
        let v = json(&[
            "reach", "--from", "Xi'an", "--within", within, "--modes", "rail", "--format", "json",
        ]);
        v["reached_nodes"].as_u64().unwrap()
    };
    let compound = reached("2d12h");
    assert!(compound > 0);
    assert_eq!(compound, reached("60h"));
    assert_eq!(reached("1w"), reached("7d"));
    assert_eq!(reached("1w2d"), reached("9d"));
    assert_eq!(reached("90m"), reached("1.5h"));
    let out = run(&["reach", "--from", "Xi'an", "--within", "0d"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("more than zero") && !err.contains("write a duration"),
        "{err}"
    );
    let out = run(&["reach", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("2d12h") && help.contains("1w2d"), "{help}");
}

#[test]
fn a_matrix_notes_each_shared_name_once() {
    let dir = common::tmp().join("matrix-notes");
    std::fs::create_dir_all(&dir).unwrap();
    let (from, to) = (dir.join("origins.csv"), dir.join("destinations.csv"));
    std::fs::write(
        &from,
        "id,place\nspb,St Petersburg\nspb2,St. Petersburg\nmsk,Москва\n",
    )
    .unwrap();
    std::fs::write(&to, "id,place\nduisburg,Duisburg\n").unwrap();
    let args = [
        "matrix",
        "--from",
        from.to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
        "--modes",
        "rail",
        "--format",
        "json",
    ];
    let out = run(&args);
    let err = stderr(&out);
    let v = common::json_of(&args, out);
    assert_eq!(v["sources"][0]["name"], "Saint Petersburg, RU");
    assert_eq!(v["sources"][2]["name"], "Moscow, RU");
    let notes = v["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .starts_with("St Petersburg: took Saint Petersburg, RU")
    );
    assert!(
        notes[1]
            .as_str()
            .unwrap()
            .starts_with("St. Petersburg: took Saint Petersburg, RU")
    );
    assert_eq!(err.matches("note: St").count(), 2, "{err}");
}

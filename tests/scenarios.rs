//! Decoders of share links, saved values and imported files: arbitrary input never panics and
//! gives a clear error; every valid scenario round-trips exactly.

use bridge_planner::model::share::*;
use bridge_planner::model::{Catalog, Tier};
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::embedded()
}

#[test]
fn link_round_trip_for_presets_with_overrides() {
    let c = catalog();
    for t in Tier::ALL {
        let mut s = t.scenario();
        s.price_overrides.insert(bridge_planner::model::PriceKey::parse("alb.hour").unwrap(), 0.02);
        s.name = "Ünïcode & \"quotes\" #hash".into();
        let link = encode_link(&s);
        assert!(link.starts_with("s=v1."));
        assert!(link.len() < 2000, "links stay short: {}", link.len());
        assert_eq!(decode_link(&link, &c).unwrap(), s);
        assert_eq!(decode_link(&format!("#{link}"), &c).unwrap(), s);
        assert_eq!(decode_file(&encode_file(&s), &c).unwrap(), s);
    }
}

#[test]
fn bad_links_say_what_is_wrong() {
    let c = catalog();
    let good = encode_link(&Tier::Small.scenario());
    assert!(decode_link("", &c).unwrap_err().to_string().contains("does not hold a scenario"));
    assert!(decode_link("#s=v9.abc", &c).unwrap_err().to_string().contains("v9"));
    assert!(decode_link(&good[..good.len() / 2], &c).unwrap_err().to_string().contains("damaged"));
    assert!(decode_link("#s=v1.!!!!", &c).unwrap_err().to_string().contains("base64"));
    // A tampered but well-formed link: an invalid Fargate size is refused.
    let mut s = Tier::Small.scenario();
    s.backend.task_memory_mib = 3000;
    let err = decode_link(&encode_link(&s), &c).unwrap_err();
    assert!(err.to_string().contains("field `backend.task_memory_mib`"), "{err}");
}

#[test]
fn corrupt_saved_values_are_reported_not_fatal() {
    let c = catalog();
    let (saved, problems) = decode_saved("{not json", &c);
    assert!(saved.items.is_empty() && problems[0].contains("unreadable"));
    let good = SavedScenarios {
        schema: 1,
        items: vec![("A".into(), Tier::Small.scenario()), ("B".into(), Tier::Large.scenario())],
    };
    let mut v: serde_json::Value = serde_json::from_str(&encode_saved(&good)).unwrap();
    v["items"][1][1]["traffic"]["peak_rps"] = serde_json::json!("many");
    let (saved, problems) = decode_saved(&v.to_string(), &c);
    assert_eq!(saved.items.len(), 1);
    assert!(problems[0].contains("\"B\""), "{problems:?}");
    assert_eq!(decode_saved(&encode_saved(&good), &c).0, good);
}

#[test]
fn old_and_future_files() {
    let c = catalog();
    // A bare scenario (as `scaling-plan scenario` prints) imports; so does one without the
    // newer `deploy` section (schema growth keeps old links working).
    let mut v = serde_json::to_value(Tier::Medium.scenario()).unwrap();
    v.as_object_mut().unwrap().remove("deploy");
    assert_eq!(decode_file(&v.to_string(), &c).unwrap(), Tier::Medium.scenario());
    let future = encode_file(&Tier::Small.scenario()).replace("\"schema\": 1", "\"schema\": 99");
    assert!(decode_file(&future, &c).unwrap_err().to_string().contains("99"));
}

#[test]
fn csv_quotes_and_totals() {
    let mut p = bridge_planner::model::plan(&Tier::Medium.scenario(), &catalog());
    // An item with every character CSV must quote: a comma, a double quote and a line break.
    let tricky = "RDS \"primary\", 2 AZs\nsecond line";
    p.cost_lines[0].item = tricky.into();
    let csv = cost_lines_csv(&p);
    let records = parse_csv(&csv);
    assert_eq!(records.len(), p.cost_lines.len() + 2, "header, one record per line, total");
    assert!(records.iter().all(|r| r.len() == 12), "every record has 12 fields: {records:?}");
    // Where the price comes from, and its rate code.
    assert_eq!(records[1][10], p.cost_lines[0].source);
    assert_eq!(records[1][11], p.cost_lines[0].rate_code.clone().unwrap_or_default());
    assert_eq!(records[0][0], "component");
    assert_eq!(records[1][1], tricky, "the item survives quoting");
    assert_eq!(records[1][6], p.cost_lines[0].price_key.key());
    assert!(
        csv.contains("\"RDS \"\"primary\"\", 2 AZs\nsecond line\""),
        "RFC 4180: quotes doubled inside quotes"
    );
    let total = records.last().unwrap();
    assert_eq!(total[0], "Total");
    assert_eq!(total[5], format!("{:.2}", p.monthly_total_usd));
}

/// An RFC 4180 reader: fields split on commas outside quotes, `""` inside quotes is `"`.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "the CSV ends with a complete record"
    );
    records
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn link_decoder_never_panics(text in ".{0,400}") {
        let c = catalog();
        let _ = decode_link(&text, &c);
        let _ = decode_link(&format!("s=v1.{text}"), &c);
    }

    #[test]
    fn link_decoder_survives_any_payload_bytes(bytes in proptest::collection::vec(any::<u8>(),
        0..600)) {
        use base64::Engine;
        let c = catalog();
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
        let link = format!("s=v1.{payload}");
        prop_assert!(decode_link(&link, &c).is_err());
        let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 6);
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&packed);
        let link = format!("s=v1.{payload}");
        let err = decode_link(&link, &c).unwrap_err();
        prop_assert!(!err.to_string().is_empty());
    }

    #[test]
    fn file_and_saved_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(),
        0..800)) {
        let c = catalog();
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(decode_file(&text, &c).is_err());
        let _ = decode_saved(&text, &c);
    }

    #[test]
    fn mutated_links_never_panic(pos in 0usize..2000, ch in any::<char>(), cut in 0usize..2000) {
        let c = catalog();
        let mut link: Vec<char> = encode_link(&Tier::Large.scenario()).chars().collect();
        let i = pos % link.len();
        link[i] = ch;
        link.truncate(link.len().min(cut.max(5)));
        let text: String = link.into_iter().collect();
        let _ = decode_link(&text, &c);
    }

    #[test]
    fn every_valid_scenario_round_trips(peak in 0.0f64..5000.0, tasks in 1u32..100, replicas in
        0u32..=5, name in "[ -~]{0,40}") {
        let c = catalog();
        let mut s = Tier::Medium.scenario();
        s.traffic.peak_rps = peak;
        s.backend.tasks_average = tasks;
        s.backend.tasks_max = tasks.max(s.backend.tasks_max);
        s.backend.tasks_min = s.backend.tasks_min.min(tasks);
        s.database.read_replicas = replicas;
        s.name = name;
        prop_assert!(s.validate(&c).is_empty());
        prop_assert_eq!(decode_link(&encode_link(&s), &c).unwrap(), s.clone());
        prop_assert_eq!(decode_file(&encode_file(&s), &c).unwrap(), s.clone());
        let saved = SavedScenarios { schema: 1, items: vec![("x".into(), s.clone())] };
        prop_assert_eq!(decode_saved(&encode_saved(&saved), &c).0, saved);
    }
}

#[test]
fn simulation_settings_travel_with_the_link() {
    use bridge_planner::model::simulate::{Profile, Schedule};
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    let mut hours = [0.2; 24];
    hours[12] = 1.0;
    s.simulation.profile = Profile::Custom(hours);
    s.simulation.schedule = Some(Schedule { from_hour: 7, to_hour: 19, min_tasks: 3 });
    assert_eq!(decode_link(&encode_link(&s), &c).unwrap(), s);
    s.simulation.trough_share = 1.5;
    assert!(decode_link(&encode_link(&s), &c).unwrap_err().to_string().contains("trough"));
}

/// Any input the app can send: numbers in and out of range, catalog names and strangers.
fn any_update() -> impl Strategy<Value = bridge_planner::model::scenario::Edit> {
    use bridge_planner::model::scenario::*;
    use bridge_planner::model::simulate::{Horizon, Profile};
    use bridge_planner::model::PriceKey;
    let field = (0..FIELDS.len(), -10.0f64..70000.0)
        .prop_map(|(i, v)| Edit::Field(FIELDS[i].field, v.round()));
    let named = (
        0usize..6,
        prop::sample::select(vec![
            "us-east-1",
            "eu-west-1",
            "mars-1",
            "db.t3.micro",
            "db.r5.large",
            "cache.t3.micro",
            "cache.m6g.large",
            "t3.small",
            "t9.nano",
        ]),
    )
        .prop_map(|(kind, name)| match kind {
            0 => Edit::Region(name.into()),
            1 => Edit::DbClass(name.into()),
            2 => Edit::CacheNode(name.into()),
            3 => Edit::Ec2Instance(name.into()),
            4 => Edit::AppName(name.into()),
            _ => Edit::DbName(name.into()),
        });
    let switch = (0usize..8, any::<bool>()).prop_map(|(kind, on)| match kind {
        0 => Edit::ClusterMode(on),
        1 => Edit::MultiAz(on),
        2 => Edit::Production(on),
        3 => Edit::SimScheduledMinimum(on),
        4 => Edit::LaunchType(if on { LaunchType::Ec2 } else { LaunchType::Fargate }),
        5 => Edit::Arch(if on { Arch::Arm } else { Arch::X86 }),
        6 => Edit::SimHorizon(if on { Horizon::Day } else { Horizon::Week }),
        _ => {
            if on {
                Edit::SimCustomDay
            } else {
                Edit::SimProfile(Profile::LaunchSpike)
            }
        }
    });
    let other = (0usize..5, 0u32..5000, -50.0f64..150.0).prop_map(|(kind, n, x)| match kind {
        0 => Edit::TaskSize { cpu: 256 << (n % 5), memory_mib: 512 * (1 + n % 16) },
        1 => Edit::SimStartupSeconds(n / 4),
        2 => Edit::SimTroughPct(x),
        3 => Edit::SimCustomHour { hour: (n % 26) as usize, pct: x },
        _ => Edit::PriceOverride(PriceKey::AlbHour, (x < 100.0).then_some(x / 100.0)),
    });
    prop_oneof![field, named, switch, other]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever a user does through `Scenario::apply`, the scenario stays one its own share link
    /// opens; a refused edit names the field and changes nothing.
    #[test]
    fn edits_through_apply_keep_the_scenario_valid(start in 0usize..3, updates in
        proptest::collection::vec(any_update(), 1..30)) {
        let c = catalog();
        let mut s = Tier::ALL[start].scenario();
        for u in updates {
            match s.apply(u.clone(), &c) {
                Ok(next) => {
                    prop_assert!(next.validate(&c).is_empty(), "{:?} gave {:?}", u,
                        next.validate(&c));
                    s = next;
                }
                Err(e) => prop_assert!(e.field().is_some(), "{:?} refused without a field: {}", u,
                    e),
            }
        }
        prop_assert_eq!(decode_link(&encode_link(&s), &c).unwrap(), s);
    }
}

/// Links made before `backend.tasks_desired` became `backend.tasks_average` (2026-11-29): a whole
/// scenario (v1) and a short link (v2) from that build, each with 7 average tasks on Medium.
#[test]
fn links_from_before_the_rename_still_open() {
    let c = bridge_planner::model::Catalog::embedded();
    const V1: &str =
        "s=v1.dVVbkts4DLzKFr8Vrx9xduIz5A4siIIlrilSISk7nqm5exqQnPFs1frLbJJAs9GA3kxxA49kTrvGRBrZnMwP7snd_wo-XkxjMvc-RcBz-cJU6pcdwCmnbnZVN2qeuTE10_nsnTm9mYnpYvNUzOllu9k2y7omS9fenA6CjCnWIdztRD3bq-cbzu62-tMLAt_Y90O1Y4utzVF4_Jy51GInznrRnPZHOZ2ZOlsGykC2m5fGOMKT7OCrzQSKgn5rTNdaBMielwhruJVQ5jKlWNhekO5ls31vzDmDJMdOXlQOttSUhVavfHDFddH2nFQYsyw_pfyOGC25yxoi0BzdYOt9EonPlHuqjHuVysW6aTan426_LkceU77b0Uuu7f7rAhcAkHv_WHVcfGYE_-fPPv0C-8ZQdgOS_Hr5hgR4WP2QZ7sCnS8uzbEKhvsgYMf_CLPX0z7ZG-Fdo5RI9a7gzlU427n64AstPtBAUHlKKWgkISUPaAxP8BhnCh8yytv2suX21sdSKToRph42ZaQQzLKzcjwsK26L6r8wc6gP-ShuSFkOwT14nSMYtwcWvLsjYqk8mQVnm-a6iK1kF8zHB4Q0MXVsXZhxK5vTmUJh1JFCKzXMc_gf9zxZE7Qir62xexBdEVsYi64I2aeL6jo1VQZBsAdt_IudzalFzcGgo0otFRYaLlBBCGi9eZJrnEP1ll4fDaltkXmCDFS0vZ8tfFyssCKrK_vpYBbTzhOuwv1KuqN7UZd15NG0bqDYL2aCF39Oy7OvquFOO_h97UEhq4Ku8RV85rwKbUccWtUGKXi1Wxg_6GsGxRW-pXyRGhfYUB6jXc-xhxlEOYa5RbPIVU4u3XeHsticsr-i8Wykivz0WrShsNeq3hJtKU1IPVaaWKfVw3WCf0ijW2UtHoqLnbLaNX8aGUdVBdkdTHjlnD3aF8yktHhkugtLmia7zuAWB3qZD6rfSP8m2FEmwcAU6oAisLtgDAox8_cCGm2_zwEQv3hYY-3RN5ncZx_0xFwgWCl2SHOWETak7F911N-YZfRXmLAfPoaHeohyhTv-GPnrsdFPSDdL0DiH8P7-Gw";
    const V2: &str =
        "s=v2.medium.q1bKS8xNVbJS8klNT0yuVMjJzMtW0lFKSkzOTs1LUbKqVipJLM4ujk9JLc4sSgUKmNfWAgA";
    for link in [V1, V2] {
        let s =
            bridge_planner::model::share::decode_link(link, &c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.backend.tasks_average, 7, "{link}");
        assert_eq!(s.name, "Legacy link");
    }
    // Such a scenario writes the new name, and reads back the same.
    let s = bridge_planner::model::share::decode_link(V1, &c).unwrap();
    let again = bridge_planner::model::share::decode_link(
        &bridge_planner::model::share::encode_link(&s),
        &c,
    )
    .unwrap();
    assert_eq!(again, s);
    assert!(serde_json::to_string(&s).unwrap().contains("\"tasks_average\":7"));
}

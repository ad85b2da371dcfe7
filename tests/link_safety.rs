//! A stranger's link is safe for money (issue #26, findings 1, 5, 6 and the autosave of 7):
//! price overrides cannot hide the cost at published prices, ARNs alone get the stack's
//! account, free text's `${` is escaped, numbers have AWS's ranges, and a link's scenario does
//! not replace the autosave before an edit.

use bridge_planner::export::{all_files, stack, Context, DEFAULT_PLANNER_URL};
use bridge_planner::model::display::{override_warning, published_note, usd};
use bridge_planner::model::opening::opening;
use bridge_planner::model::scenario::{ScenarioError, MAX_EBS_GB};
use bridge_planner::model::{plan, share, Catalog, PriceKey, Scenario, Tier};
use bridge_planner::report::PlanReport;
use serde_json::Value;

fn catalog() -> Catalog {
    Catalog::embedded()
}

/// The link: every price the catalog names set to 0, 200 tasks of 16 vCPU / 120 GB.
fn free_prices() -> Scenario {
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    for key in c.prices.keys() {
        s.price_overrides.insert(PriceKey::parse(key).unwrap(), 0.0);
    }
    s.backend.tasks_min = 200;
    s.backend.tasks_average = 200;
    s.backend.tasks_max = 200;
    (s.backend.task_cpu, s.backend.task_memory_mib) = (16384, 122880);
    assert_eq!(s.validate(&c), vec![], "the issue's scenario is accepted");
    s
}

#[test]
fn one_overridden_price_shows_its_hand_worked_difference() {
    // The ALB hour at $0: the published plan adds 730 h x $0.0225 (us-east-1, catalog
    // `alb.hour`, AWS's Elastic Load Balancing pricing page) = $16.425 a month, one ALB.
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    s.price_overrides.insert(PriceKey::parse("alb.hour").unwrap(), 0.0);
    let p = plan(&s, &c);
    let published = p.at_published_prices.as_ref().expect("overrides are stated");
    assert_eq!(published.overridden_prices, 1);
    assert!((published.difference_usd - 16.425).abs() < 1e-9, "{}", published.difference_usd);
    assert_eq!(published.monthly_total_usd, plan(&Tier::Medium.scenario(), &c).monthly_total_usd);
    assert_eq!(p.published_total_usd(), published.monthly_total_usd);
    // Without overrides there is nothing to state.
    assert!(plan(&Tier::Medium.scenario(), &c).at_published_prices.is_none());
}

#[test]
fn every_total_states_the_published_price_total() {
    let c = catalog();
    let s = free_prices();
    let p = plan(&s, &c);
    let mut published_scenario = s.clone();
    published_scenario.price_overrides.clear();
    let published = plan(&published_scenario, &c).monthly_total_usd;
    let a = p.at_published_prices.clone().unwrap();
    assert_eq!(a.monthly_total_usd, published);
    assert_eq!(a.overridden_prices, c.prices.len());
    assert!(published > 100.0 * p.monthly_total_usd, "{published} vs {}", p.monthly_total_usd);
    let note = published_note(&p).unwrap();
    assert_eq!(
        note,
        format!(
            "at published prices {} a month ({}; {} prices overridden)",
            usd(published),
            bridge_planner::model::display::signed_usd(published - p.monthly_total_usd),
            c.prices.len()
        )
    );
    // The app's first words on opening such a link.
    assert_eq!(
        override_warning("link", &p).unwrap(),
        format!(
            "This link changes {} prices; at published prices this plan costs {} a month (it shows {} with the link's prices). AWS bills published prices unless you have agreed others.",
            c.prices.len(),
            usd(published),
            usd(p.monthly_total_usd)
        )
    );

    // CLI: text and JSON.
    let report = PlanReport::new(&s, &c);
    // In the header, right under the total and the estimates line.
    let text = report.to_text();
    assert!(text.lines().take(3).any(|l| l.contains(&note)), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["at_published_prices"]["monthly_total_usd"], published);

    // Every export file with a header, and the stack's description.
    let files = all_files(&s, &p);
    let with_header: Vec<_> =
        files.iter().filter(|f| f.content.contains("Projected monthly cost")).collect();
    assert!(with_header.len() >= 5, "{}", with_header.len());
    for f in with_header {
        assert!(f.content.contains(&note), "{} lacks the published total", f.name());
    }
    let ctx = Context::new(&s, &p, DEFAULT_PLANNER_URL);
    let template = stack::template(&ctx);
    assert!(template["Description"].as_str().unwrap().contains(&note));

    // The CSV of the cost lines ends with it.
    let csv = share::cost_lines_csv(&p);
    assert!(
        csv.ends_with(&format!(
            "\"Total at published prices\",\"{} prices overridden\",,,,{published:.2},,,,,,\n",
            c.prices.len()
        )),
        "{csv}"
    );

    // Both budgets are set from the published-price total plus 10%.
    let budget = (published * 1.1).ceil();
    assert_eq!(stack::budget_usd(&ctx), budget);
    let deploy = &files.iter().find(|f| f.name() == "deploy.sh").unwrap().content;
    assert!(deploy.contains(&format!("\nBUDGET_USD='{budget:.0}'\n")), "BUDGET_USD");
    assert!(deploy.contains(&format!("\nPUBLISHED_MONTHLY_USD='{published:.2}'\n")));
    let amount = &template["Resources"]["Budget"]["Properties"]["Budget"]["BudgetLimit"]["Amount"];
    assert_eq!(amount.as_f64(), Some(budget));
}

#[test]
fn an_account_number_in_a_health_path_stays_as_it_is() {
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    s.deploy.health_check_path = "/111122223333".into();
    let p = plan(&s, &c);
    let ctx = Context::new(&s, &p, DEFAULT_PLANNER_URL);
    let td = stack::task_definition_properties(&ctx);
    let check = &td["ContainerDefinitions"][0]["HealthCheck"]["Command"];
    assert_eq!(check[1].as_str(), Some(bridge_planner::export::health_check_command(&s).as_str()));
    assert!(check[1].as_str().unwrap().contains("/111122223333"));
    // The ARNs still get the stack's account, in the account field only.
    let secrets = td["ContainerDefinitions"][0]["Secrets"].as_array().unwrap();
    let url = secrets.iter().find(|x| x["Name"] == "DATABASE_URL").unwrap();
    let arn = url["ValueFrom"]["Fn::Sub"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:ssm:us-east-1:${AWS::AccountId}:parameter/"), "{arn}");
}

/// Strings of the template that are plain (not inside an intrinsic function) and hold `${`.
fn unescaped(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.contains("${") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| unescaped(x, out)),
        Value::Object(m) if !m.keys().any(|k| k.starts_with("Fn::") || k == "Ref") => {
            m.values().for_each(|x| unescaped(x, out))
        }
        _ => {}
    }
}

#[test]
fn a_name_with_a_sub_variable_is_escaped_in_the_stack() {
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    s.name = "${AWS::AccountId} ${Database.Endpoint.Address}".into();
    let p = plan(&s, &c);
    let template = stack::template(&Context::new(&s, &p, DEFAULT_PLANNER_URL));
    let mut plain = Vec::new();
    unescaped(&template, &mut plain);
    assert_eq!(plain, Vec::<String>::new());
    let comment = &template["Resources"]["FrontendDistribution"]["Properties"]
        ["DistributionConfig"]["Comment"];
    // Joined, the pieces are the comment exactly; none holds `${`.
    let pieces: Vec<&str> =
        comment["Fn::Join"][1].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(pieces.concat(), format!("bridge frontend, planner scenario {}", s.name));
    assert!(pieces.iter().all(|p| !p.contains("${")), "{pieces:?}");
}

/// cfn-lint (AWS's linter, in tests/stack_check.py too) on the template of a hostile name and
/// health path: no E1029 (a `${}` outside Sub). Skipped where cfn-lint is not installed.
#[test]
fn cfn_lint_accepts_the_hostile_template() {
    if std::process::Command::new("cfn-lint").arg("--version").output().is_err() {
        eprintln!("cfn-lint not installed: skipped");
        return;
    }
    let c = catalog();
    let mut s = Tier::Medium.scenario();
    s.name = "${AWS::AccountId}".into();
    s.deploy.health_check_path = "/111122223333".into();
    let p = plan(&s, &c);
    let files = all_files(&s, &p);
    let yaml = &files.iter().find(|f| f.name() == "stack.yaml").unwrap().content;
    let dir = std::env::temp_dir().join(format!("sp-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("stack.yaml");
    std::fs::write(&path, yaml).unwrap();
    let out = std::process::Command::new("cfn-lint")
        .args(["--regions", "us-east-1", "--", path.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("E1029"), "{text}");
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn numbers_aws_would_refuse_are_refused() {
    let c = catalog();
    let field_of =
        |s: &Scenario| -> Vec<String> { s.validate(&c).into_iter().map(|e| e.field).collect() };
    let mut s = Tier::Medium.scenario();
    s.price_overrides.insert(PriceKey::parse("alb.hour").unwrap(), 1e308);
    assert_eq!(field_of(&s), ["price_overrides.alb.hour"]);
    let mut s = Tier::Medium.scenario();
    s.backend.ec2_ebs_gb = 1e308;
    assert_eq!(field_of(&s), ["backend.ec2_ebs_gb"]);
    s.backend.ec2_ebs_gb = MAX_EBS_GB + 1.0; // 16,385 GiB: gp3's maximum is 16,384
    assert_eq!(field_of(&s), ["backend.ec2_ebs_gb"]);
    s.backend.ec2_ebs_gb = MAX_EBS_GB;
    assert!(field_of(&s).is_empty());
    for (field, set) in [
        (
            "alb.connection_seconds",
            (|s: &mut Scenario| s.alb.connection_seconds = 1e300) as fn(&mut Scenario),
        ),
        ("alb.request_kb", |s: &mut Scenario| s.alb.request_kb = 1e300),
        ("network.ecr_storage_gb", |s: &mut Scenario| s.network.ecr_storage_gb = 1e300),
    ] {
        let mut s = Tier::Medium.scenario();
        set(&mut s);
        assert_eq!(field_of(&s), [field]);
    }
    // A link carrying 1e308 is refused when opened, naming the field.
    let mut s = Tier::Medium.scenario();
    s.price_overrides.insert(PriceKey::parse("fargate.x86.vcpu_hour").unwrap(), 1e308);
    let e = share::decode_link(&share::encode_link(&s), &c).unwrap_err();
    assert!(e.to_string().contains("price_overrides.fargate.x86.vcpu_hour"), "{e}");
}

#[test]
fn a_link_keeps_the_autosave_until_an_edit_and_offers_it_back() {
    let mine = Tier::Small.scenario();
    let theirs = free_prices();
    let o = opening(Some(Ok(theirs.clone())), Some(Ok(mine.clone())), || Tier::Medium.scenario());
    assert_eq!(o.scenario, theirs);
    assert!(o.from_link && o.keep_autosave && !o.bad_link);
    assert_eq!(o.autosave, Some(mine.clone()));
    // The same scenario in both: nothing to go back to, still nothing written before an edit.
    let o = opening(Some(Ok(mine.clone())), Some(Ok(mine.clone())), || Tier::Medium.scenario());
    assert!(o.keep_autosave && o.autosave.is_none());
    // No link: the autosave, written as usual.
    let o = opening(None, Some(Ok(mine.clone())), || Tier::Medium.scenario());
    assert_eq!(o.scenario, mine);
    assert!(!o.keep_autosave && !o.from_link);
    // A bad autosave is named and left alone.
    let bad = Err(ScenarioError::NotAScenario("x".into()));
    let o = opening(None, Some(bad), || Tier::Medium.scenario());
    assert_eq!(o.scenario, Tier::Medium.scenario());
    assert!(o.notes[0].contains("left in storage untouched"), "{:?}", o.notes);
}

#[test]
fn a_catalog_with_unbounded_prices_is_refused() {
    // A catalog file is handed over like a link (`--catalog`, the app's picker).
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalog.json"))
            .unwrap(),
    )
    .unwrap();
    let mut huge_price = base.clone();
    huge_price["prices"]["alb.hour"]["usd"] = serde_json::json!(1e308);
    let mut huge_factor = base.clone();
    let region = huge_factor["regions"]
        .as_object()
        .unwrap()
        .keys()
        .find(|r| *r != "us-east-1")
        .unwrap()
        .clone();
    huge_factor["regions"][&region]["factor"] = serde_json::json!(1e300);
    for (bad, what) in [(huge_price, "price `alb.hour`"), (huge_factor, "factor")] {
        let e = Catalog::from_json(&bad.to_string()).unwrap_err();
        assert!(e.to_string().contains(what), "{e}");
    }
}

//! Values from a scenario (a share link is untrusted input) reach generated shell only as data:
//! bash runs the generated settings and gets exactly the values back, executing nothing; the
//! container's `CMD-SHELL` health check under `sh -c` passes the URL to wget as one argument.

use bridge_planner::export::shell::{SETTINGS_END, SETTINGS_START};
use bridge_planner::export::{all_files, health_check_command};
use bridge_planner::model::scenario::{check_app_name, check_db_name, check_health_path};
use bridge_planner::model::{plan, share, Catalog, Scenario, Tier};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory with `canary` (and `id`, `reboot`, `touch`) stubs on PATH that record
/// that they ran, and a `wget` stub that records its arguments.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(tag: &str) -> Sandbox {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sp-safety-{}-{tag}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        for name in ["canary", "id", "reboot", "touch", "rm"] {
            write_exec(
                &bin.join(name),
                &format!("#!/bin/sh\necho {name} >> '{}/ran'\n", dir.display()),
            );
        }
        write_exec(
            &bin.join("wget"),
            &format!(
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}/wget-args'\nexit \
                    \"${{WGET_EXIT:-0}}\"\n",
                dir.display()
            ),
        );
        Sandbox { dir }
    }
    fn path_env(&self) -> String {
        format!("{}:/usr/bin:/bin", self.dir.join("bin").display())
    }
    fn ran(&self) -> String {
        std::fs::read_to_string(self.dir.join("ran")).unwrap_or_default()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The generated settings block of a script, exactly as written between its markers.
fn settings_block(script: &str) -> String {
    let start = script.find(SETTINGS_START).expect("settings start marker");
    let end = script.find(SETTINGS_END).expect("settings end marker") + SETTINGS_END.len();
    script[start..end].to_string()
}

/// Runs the settings block under bash (in the sandbox) and returns each named variable's value.
fn run_settings(sandbox: &Sandbox, script: &str, names: &[&str]) -> Vec<String> {
    let mut program = settings_block(script);
    program.push_str("\nprintf '%s\\0'");
    for n in names {
        program.push_str(&format!(" \"${n}\""));
    }
    program.push('\n');
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-euc", &program])
        .env_clear()
        .env("PATH", sandbox.path_env())
        .current_dir(&sandbox.dir)
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut values: Vec<String> = text.split('\0').map(str::to_string).collect();
    assert_eq!(values.pop().as_deref(), Some(""), "NUL-terminated");
    values
}

fn file<'a>(files: &'a [bridge_planner::export::RenderedFile], name: &str) -> &'a str {
    &files.iter().find(|f| f.name() == name).unwrap_or_else(|| panic!("{name}")).content
}

/// Checks every script and the health check of a scenario's exports hold its values exactly.
fn assert_values_stay_data(s: &Scenario) {
    let c = Catalog::embedded();
    assert!(s.validate(&c).is_empty(), "{:?}", s.validate(&c));
    let files = all_files(s, &plan(s, &c));
    let sandbox = Sandbox::new("run");
    let deploy = run_settings(
        &sandbox,
        file(&files, "deploy.sh"),
        &["APP", "PLAN_REGION", "DB_NAME", "CONTAINER_PORT", "HEALTH_PATH"],
    );
    let port = s.backend.container_port.to_string();
    assert_eq!(
        deploy,
        [
            s.deploy.app_name.as_str(),
            &s.region,
            &s.deploy.db_name,
            &port,
            &s.deploy.health_check_path
        ]
    );
    let teardown = run_settings(&sandbox, file(&files, "teardown.sh"), &["APP", "PLAN_REGION"]);
    assert_eq!(teardown, [s.deploy.app_name.as_str(), &s.region]);

    // The task definition's CMD-SHELL, run as ECS runs it.
    let td: serde_json::Value = serde_json::from_str(file(&files, "taskdef.json")).unwrap();
    let cmd = &td["containerDefinitions"][0]["healthCheck"]["command"];
    assert_eq!(cmd[0], "CMD-SHELL");
    let shell_cmd = cmd[1].as_str().unwrap();
    assert_eq!(shell_cmd, health_check_command(s));
    let url = format!("http://127.0.0.1:{port}{}", s.deploy.health_check_path);
    for (wget_exit, expected) in [("0", 0), ("8", 1)] {
        let status = Command::new("sh")
            .args(["-c", shell_cmd])
            .env_clear()
            .env("PATH", sandbox.path_env())
            .env("WGET_EXIT", wget_exit)
            .current_dir(&sandbox.dir)
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(expected),
            "health check exit code with wget exiting {wget_exit}"
        );
        let args = std::fs::read_to_string(sandbox.dir.join("wget-args")).unwrap();
        assert_eq!(args.lines().collect::<Vec<_>>(), ["-q", "-O", "/dev/null", url.as_str()]);
    }

    // The Dockerfile's HEALTHCHECK is exec form: a JSON array holding the same URL.
    let docker = file(&files, "Dockerfile");
    let line = docker
        .lines()
        .find(|l| l.trim_start().starts_with("CMD [\"wget\""))
        .expect("HEALTHCHECK CMD line");
    let argv: Vec<String> =
        serde_json::from_str(line.trim_start().trim_start_matches("CMD ")).unwrap();
    assert_eq!(argv, ["wget", "-q", "-O", "/dev/null", url.as_str()]);

    assert_eq!(sandbox.ran(), "", "a value was executed");
}

/// Valid health-check paths: RFC 3986 path/query characters, percent-encodings, and the
/// characters a shell would act on (`$ ( ) ; & ! ' *`), with planted `canary` commands.
fn arb_health_path() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => proptest::char::ranges(vec!['a'..='z', 'A'..='Z', '0'..='9'].into()).prop_map(|c|
            c.to_string()),
        6 =>
            proptest::sample::select("-._~!$&'()*+,;=:@/?".chars().collect::<Vec<_>>()).prop_map(|c| c.to_string()),
        1 => (0u8..=255).prop_map(|b| format!("%{b:02X}")),
        2 => proptest::sample::select(vec!["$(canary)", "`", ";canary;", "&canary&",
            "'$(canary)'", "$((1+1))", "!canary", "'\\''"])
            .prop_map(str::to_string),
    ];
    proptest::collection::vec(token, 0..40)
        .prop_map(|tokens| format!("/{}", tokens.concat()))
        .prop_filter("valid per check_health_path", |p| check_health_path(p).is_ok())
}

fn arb_app_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,19}".prop_filter("valid per check_app_name", |n| check_app_name(n).is_ok())
}

fn arb_db_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_]{0,62}"
        .prop_filter("valid per check_db_name", |n| check_db_name(n).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn valid_values_reach_the_scripts_as_exactly_themselves(
        path in arb_health_path(), app in arb_app_name(), db in arb_db_name(),
        port in prop_oneof![Just(80u16), Just(3000u16), 1u16..=65535],
        region in proptest::sample::select(vec!["us-east-1", "eu-west-1", "ap-southeast-2",
            "sa-east-1"]),
    ) {
        let mut s = Tier::Small.scenario();
        s.deploy.health_check_path = path;
        s.deploy.app_name = app;
        s.deploy.db_name = db;
        s.backend.container_port = port;
        s.region = region.to_string();
        assert_values_stay_data(&s);
    }
}

#[test]
fn the_planted_canary_would_be_seen() {
    // The check can fail: unquoted, the issue's `/$(id)` runs `id` (here the stub).
    let sandbox = Sandbox::new("control");
    let out = Command::new("bash")
        .args(["-c", "HEALTH_PATH=\"/$(id)\"; printf '%s' \"$HEALTH_PATH\""])
        .env_clear()
        .env("PATH", sandbox.path_env())
        .current_dir(&sandbox.dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(sandbox.ran(), "id\n");
}

#[test]
fn validators_accept_what_aws_and_http_accept_and_nothing_else() {
    for ok in [
        "/",
        "/health",
        "/$(id)",
        "/a;b&c!d",
        "/it's",
        "/api/v1/health?full=1&x=%2F",
        "/~user/@me:8080/*",
    ] {
        assert!(check_health_path(ok).is_ok(), "{ok}");
    }
    for bad in [
        "health", "/a b", "/a\"b", "/`id`", "/a#frag", "/a\\b", "/a\nb", "/%zz", "/%4", "/{x}",
        "/<x>", "/ü",
    ] {
        assert!(check_health_path(bad).is_err(), "{bad:?}");
    }
    assert!(check_health_path(&format!("/{}", "a".repeat(1023))).is_ok());
    assert!(check_health_path(&format!("/{}", "a".repeat(1024))).is_err());
    for bad in ["aws-api", "ecs1", "fargate", "ssm-x", "internal-api", "sthree-x", "amzn-s3-demo-x"]
    {
        assert!(check_app_name(bad).is_err(), "{bad}");
    }
    for ok in ["awesome", "shop", "ec2-api"] {
        assert!(check_app_name(ok).is_ok(), "{ok}");
    }
    for bad in ["select", "User", "TABLE"] {
        assert!(check_db_name(bad).is_err(), "{bad}");
    }
    assert!(check_db_name("users").is_ok());
}

#[test]
fn a_hostile_share_link_never_produces_executing_shell() {
    let c = Catalog::embedded();
    // Invalid values are refused when the link is opened.
    for (field, value) in [
        ("health_check_path", "/$(canary) x"),
        ("health_check_path", "/`canary`"),
        ("health_check_path", "/x\"; canary; \""),
        ("health_check_path", "/x\ncanary"),
        ("app_name", "x';canary;'"),
        ("db_name", "db$(canary)"),
    ] {
        let mut v = serde_json::to_value(Tier::Small.scenario()).unwrap();
        v["deploy"][field] = serde_json::json!(value);
        let s: Scenario = serde_json::from_value(v).unwrap();
        let link = share::encode_link(&s);
        let err = share::decode_link(&link, &c).unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
    // A valid path full of shell syntax, and a name that tries to leave its comment line.
    let mut s = Tier::Medium.scenario();
    s.deploy.health_check_path = "/$(canary)';canary;'&canary&!canary".into();
    s.name = "x\"\n canary $(canary) `canary`\r\u{2028}canary".into();
    let opened = share::decode_link(&share::encode_link(&s), &c).unwrap();
    assert_eq!(opened.deploy.health_check_path, s.deploy.health_check_path);
    assert_values_stay_data(&opened);
    let files = all_files(&opened, &plan(&opened, &c));
    for f in files.iter().filter(|f| f.name().ends_with(".sh") || f.name() == "Dockerfile") {
        for line in f.content.lines().filter(|l| l.contains("canary")) {
            let quoted = line.starts_with("HEALTH_PATH='")
                || (f.name() == "Dockerfile" && line.trim_start().starts_with("CMD [\"wget\""));
            assert!(line.starts_with('#') || quoted, "{}: {line}", f.name());
        }
    }
}

/// A catalog is a file anyone can hand over (`--catalog`, the app's catalog picker, `catalog
/// import` of a crafted Price List file). Its region codes and class names reach comment lines
/// of deploy.sh, the Dockerfile and stack.yaml, so the catalog refuses anything AWS would not
/// write: a region key carrying a newline and a command (the review's reproduction, which ran
/// `echo INJECTED` as the deploying user) is refused with the field named, and so is a class.
#[test]
fn a_catalog_cannot_smuggle_lines_into_the_exports() {
    let mut v: serde_json::Value =
        serde_json::from_str(bridge_planner::model::catalog::EMBEDDED_CATALOG).unwrap();
    let evil = "eu-x-1\necho INJECTED-$(id -un)\n#";
    let us = v["regions"]["us-east-1"].clone();
    v["regions"][evil] = us;
    let err = Catalog::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(err.contains("is not an AWS region code") && err.contains("\\n"), "{err}");
    let mut v: serde_json::Value =
        serde_json::from_str(bridge_planner::model::catalog::EMBEDDED_CATALOG).unwrap();
    let t3 = v["ec2_instances"]["t3.small"].clone();
    v["ec2_instances"]["t3.small;reboot"] = t3;
    v["prices"]["ec2.t3.small;reboot.hour"] = v["prices"]["ec2.t3.small.hour"].clone();
    let err = Catalog::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(err.contains("not an instance class name"), "{err}");
}

#[test]
fn region_codes_and_class_names_as_aws_writes_them() {
    use bridge_planner::model::catalog::{is_instance_name, is_region_code};
    for ok in ["us-east-1", "ap-southeast-2", "us-gov-west-1", "eu-isoe-west-1", "il-central-1"] {
        assert!(is_region_code(ok), "{ok}");
    }
    for bad in ["", "us-east", "us-east-1\n", "US-east-1", "us--east-1", "us-east-1;id", "u-east-1"]
    {
        assert!(!is_region_code(bad), "{bad:?}");
    }
    for ok in ["t3.micro", "db.r6g.2xlarge", "cache.t4g.small", "u-6tb1.metal"] {
        assert!(is_instance_name(ok), "{ok}");
    }
    for bad in ["t3", "t3.micro ", "t3.small;reboot", "db..t3", "-t3.small", "a.b.c.d", "t3.$(id)"]
    {
        assert!(!is_instance_name(bad), "{bad:?}");
    }
}

proptest! {
    /// Whatever passes the checks is made of the characters AWS uses and nothing a shell,
    /// Dockerfile or YAML comment line treats specially.
    #[test]
    fn accepted_names_carry_no_special_characters(s in "\\PC{0,24}|[a-z0-9.\\-]{0,24}") {
        use bridge_planner::model::catalog::{is_instance_name, is_region_code};
        if is_region_code(&s) || is_instance_name(&s) {
            prop_assert!(s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c ==
                '-' || c == '.'));
        }
    }
}

/// Numbers of a JSON value that AWS would not take where it expects one: `null` (what serde
/// writes for infinity or NaN) anywhere.
fn nulls(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Null => out.push(at.to_string()),
        serde_json::Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| nulls(x, &format!("{at}[{i}]"), out))
        }
        serde_json::Value::Object(m) => {
            m.iter().for_each(|(k, x)| nulls(x, &format!("{at}.{k}"), out))
        }
        _ => {}
    }
}

/// Plain strings of the stack (outside intrinsic functions) holding `${`, and `${NAME}` in
/// `Fn::Sub` whose NAME is neither escaped (`${!`), a pseudo parameter, a parameter nor a
/// resource (attribute) of the template.
fn unescaped_subs(v: &serde_json::Value, names: &[String], out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::String(s) if s.contains("${") => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| unescaped_subs(x, names, out)),
        Value::Object(m) => {
            if let Some(sub) = m.get("Fn::Sub") {
                let text = sub.as_str().or_else(|| sub[0].as_str()).unwrap_or("");
                for var in text.split("${").skip(1) {
                    let name = var.split('}').next().unwrap_or("");
                    let root = name.split('.').next().unwrap_or("");
                    let known = name.starts_with('!')
                        || name.starts_with("AWS::")
                        || names.iter().any(|n| n == root);
                    if !known {
                        out.push(text.to_string());
                    }
                }
            } else if !m.keys().any(|k| k.starts_with("Fn::") || k == "Ref") {
                m.values().for_each(|x| unescaped_subs(x, names, out));
            }
        }
        _ => {}
    }
}

/// A scenario drawn across the numbers without a slider, the price overrides and the free
/// text, each up to its accepted maximum and beyond (then refused: the property is about what
/// `validate` accepts).
fn arb_open_scenario() -> impl Strategy<Value = Scenario> {
    use bridge_planner::model::scenario::{
        MAX_CONNECTION_SECONDS, MAX_EBS_GB, MAX_ECR_STORAGE_GB, MAX_PRICE_OVERRIDE_USD,
        MAX_REQUEST_KB,
    };
    let keys: Vec<bridge_planner::model::PriceKey> = Catalog::embedded()
        .prices
        .keys()
        .filter_map(|k| bridge_planner::model::PriceKey::parse(k))
        .collect();
    let edge = |max: f64| {
        prop_oneof![
            6 => 0.0..=max,
            1 => Just(0.0),
            1 => Just(max),
            1 => prop_oneof![Just(max * 1.0001), Just(1e308)],
        ]
    };
    (
        prop::sample::select(vec![Tier::Small, Tier::Medium, Tier::Large]),
        proptest::collection::btree_map(
            prop::sample::select(keys),
            edge(MAX_PRICE_OVERRIDE_USD),
            0..8,
        ),
        (
            edge(MAX_EBS_GB),
            edge(MAX_CONNECTION_SECONDS),
            edge(MAX_REQUEST_KB),
            edge(MAX_ECR_STORAGE_GB),
        ),
        any::<bool>(),
        prop_oneof![
            Just("${AWS::AccountId}".to_string()),
            Just("x ${!y} $${z}".to_string()),
            "\\PC{0,30}"
        ],
        prop_oneof![Just("/111122223333".to_string()), Just("/health".to_string())],
    )
        .prop_map(|(tier, prices, (ebs, conn, kb, ecr), ec2, name, path)| {
            let mut s = tier.scenario();
            s.price_overrides = prices;
            (s.backend.ec2_ebs_gb, s.alb.connection_seconds) = (ebs, conn);
            (s.alb.request_kb, s.network.ecr_storage_gb) = (kb, ecr);
            if ec2 {
                s.backend.launch_type = bridge_planner::model::scenario::LaunchType::Ec2;
            }
            s.name = name;
            s.deploy.health_check_path = path;
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Any scenario `validate` accepts exports no infinite, NaN or null number (JSON files,
    /// the stack, the scripts' settings) and no unescaped `${` in the stack (issue #26).
    #[test]
    fn accepted_scenarios_export_finite_numbers_and_escaped_subs(s in arb_open_scenario()) {
        let c = Catalog::embedded();
        prop_assume!(s.validate(&c).is_empty());
        let p = plan(&s, &c);
        let files = all_files(&s, &p);
        let mut bad = Vec::new();
        for f in &files {
            if f.name().ends_with(".json") {
                let v: serde_json::Value = serde_json::from_str(&f.content).unwrap();
                nulls(&v, f.name(), &mut bad);
            }
            if f.name().ends_with(".sh") && f.content.contains(SETTINGS_START) {
                for line in settings_block(&f.content).lines() {
                    let Some((k, v)) = line.split_once('=') else { continue };
                    let v = v.trim_matches('\'');
                    if v.parse::<f64>().is_ok_and(|x| !x.is_finite()) {
                        bad.push(format!("{}: {k}={v}", f.name()));
                    }
                }
            }
            for word in ["$inf", "$NaN", "$-inf", "inf/month", "NaN/month"] {
                if f.content.contains(word) {
                    bad.push(format!("{}: {word}", f.name()));
                }
            }
        }
        let ctx = bridge_planner::export::Context::new(&s, &p,
            bridge_planner::export::DEFAULT_PLANNER_URL);
        let template = bridge_planner::export::stack::template(&ctx);
        nulls(&template, "stack", &mut bad);
        let names: Vec<String> = ["Resources", "Parameters"]
            .iter()
            .flat_map(|k| template[k].as_object().into_iter().flat_map(|m| m.keys().cloned()))
            .collect();
        let mut subs = Vec::new();
        unescaped_subs(&template["Resources"], &names, &mut subs);
        prop_assert!(bad.is_empty(), "{bad:?}");
        prop_assert!(subs.is_empty(), "{subs:?}");
        prop_assert!(p.monthly_total_usd.is_finite() && p.published_total_usd().is_finite());
    }
}

//! deploy.sh's optional data migration (MIGRATE_DATA=1) sends the master password only to a
//! server whose certificate RDS's CAs signed for the host (issue #26, finding 7): its psql runs
//! with PGSSLMODE=verify-full and PGSSLROOTCERT set to RDS's CA bundle, fetched over https.
//! The migration block is run under bash with stubs for curl, pg_dump and psql.
//! https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html

use bridge_planner::export::shell::{SETTINGS_END, SETTINGS_START};
use bridge_planner::export::{all_files, RDS_CA_BUNDLE_URL};
use bridge_planner::model::{plan, Catalog, Tier};
use std::path::Path;
use std::process::Command;

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// deploy.sh's settings block and its `if [ "$MIGRATE_DATA" = "1" ]` block, as generated.
fn migration_program() -> String {
    let s = Tier::Medium.scenario();
    let files = all_files(&s, &plan(&s, &Catalog::embedded()));
    let deploy = &files.iter().find(|f| f.name() == "deploy.sh").unwrap().content;
    let settings = &deploy[deploy.find(SETTINGS_START).unwrap()
        ..deploy.find(SETTINGS_END).unwrap() + SETTINGS_END.len()];
    let start = deploy.find("if [ \"$MIGRATE_DATA\" = \"1\" ]; then").expect("migration block");
    let end = start + deploy[start..].find("\nfi\n").unwrap() + 4;
    format!(
        "{settings}\nfail() {{ printf 'deploy.sh: %s\\n' \"$*\" >&2; exit 1; }}\n\
         step() {{ :; }}\ndb_password() {{ printf 'the-password'; }}\n\
         MIGRATE_DATA=1 LOCAL_DATABASE=bridge DB_HOST=db.abc.eu-west-1.rds.amazonaws.com\n\
         DB_USER=bridge_admin DB_NAME=bridge\n{}",
        &deploy[start..end]
    )
}

#[test]
fn the_migration_verifies_the_servers_certificate_with_rds_ca_bundle() {
    let dir = std::env::temp_dir().join(format!("sp-migration-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("log");
    let log_s = log.display();
    // curl writes a stand-in bundle to its -o file and logs its URL.
    write_exec(
        &bin.join("curl"),
        &format!(
            "#!/bin/sh\nwhile [ $# -gt 0 ]; do case \"$1\" in -o) out=\"$2\"; shift;; \
             https:*|http:*) url=\"$1\";; esac; shift; done\n\
             echo BUNDLE > \"$out\"; echo \"curl $url\" >> '{log_s}'\n"
        ),
    );
    write_exec(&bin.join("pg_dump"), "#!/bin/sh\necho 'SELECT 1;'\n");
    write_exec(
        &bin.join("psql"),
        &format!(
            "#!/bin/sh\necho \"psql sslmode=$PGSSLMODE root=$(cat \"$PGSSLROOTCERT\") \
             password=$PGPASSWORD args=$*\" >> '{log_s}'\n"
        ),
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-euc", &migration_program()])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], format!("curl {RDS_CA_BUNDLE_URL}"));
    assert!(
        lines[1].starts_with("psql sslmode=verify-full root=BUNDLE password=the-password args=-h db.abc.eu-west-1.rds.amazonaws.com "),
        "{log}"
    );
    assert_eq!(lines.len(), 2, "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_export_asks_for_tls_without_a_certificate_check() {
    let s = Tier::Medium.scenario();
    for f in all_files(&s, &plan(&s, &Catalog::embedded())) {
        for weak in ["PGSSLMODE=require", "sslmode=require", "sslmode=prefer", "sslmode=disable"] {
            assert!(!f.content.contains(weak), "{} holds {weak}", f.name());
        }
    }
}

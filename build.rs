//! Tells the tests whether a PostgreSQL admin URL was given: with
//! `KINDLING_TEST_DATABASE_URL` set, every storage test also runs on
//! PostgreSQL; without it, those runs are listed as ignored (never as passed).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(kindling_pg)");
    println!("cargo::rerun-if-env-changed=KINDLING_TEST_DATABASE_URL");
    if std::env::var_os("KINDLING_TEST_DATABASE_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=kindling_pg");
    }
}

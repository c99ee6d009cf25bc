//! `cargo run --release -p sepakat-engine --example bench_import -- ROWS [RUNS] [DIR]`:
//! measures importing ROWS generated accounts RUNS times (default 1), each into a fresh
//! SQLite file (DIR defaults to a temp dir).

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().unwrap_or_else(|| "100000".into()).parse()?;
    let runs: u32 = args.next().unwrap_or_else(|| "1".into()).parse()?;
    let tmp = tempfile::tempdir()?;
    let dir = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let bench = sepakat_engine::bench::bench_import(rows, runs, false, &dir)?;
    println!("{bench}");
    Ok(())
}

//! `sepakat user add|token`: manage users and API tokens.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use chrono::Utc;
use sepakat_domain::Role;
use sepakat_store::{Actor, NewApiToken, NewUser};

use crate::cli::UserCommand;
use crate::config::Config;

/// The shortest password accepted.
const MIN_PASSWORD_LEN: usize = 10;

/// Runs a user subcommand.
pub fn run(config: &Config, cmd: UserCommand) -> Result<ExitCode> {
    let store = super::open_store(config)?;
    match cmd {
        UserCommand::Add {
            username,
            full_name,
            role,
            creditors,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow!("--role {role:?} is not one of collector, supervisor, manager, compliance, admin")
            })?;
            let mut ids = Vec::new();
            for code in &creditors {
                let c = store
                    .creditor_by_code(code)?
                    .ok_or_else(|| anyhow!("--creditor {code:?}: no such creditor"))?;
                ids.push(c.id);
            }
            let password = read_password()?;
            let user = store.create_user(
                &NewUser {
                    full_name: full_name.unwrap_or_else(|| username.clone()),
                    username,
                    role,
                    password_hash: sepakat_web::auth::hash_password(&password)?,
                    creditors: ids,
                },
                &Actor::system("cli"),
            )?;
            println!("user {} ({}) added", user.username, user.role);
        }
        UserCommand::Token { username, label } => {
            let creds = store
                .user_credentials(&username)?
                .ok_or_else(|| anyhow!("--username {username:?}: no such user"))?;
            let (token, hash) = sepakat_web::auth::new_token();
            store.create_api_token(
                &NewApiToken {
                    token_hash: hash,
                    user: creds.user.id,
                    label,
                    created_at: Utc::now(),
                },
                &Actor::system("cli"),
            )?;
            println!("{token}");
            eprintln!("API token for {username} created; it is shown only once.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The new password from SEPAKAT_PASSWORD or the first line of standard input.
fn read_password() -> Result<String> {
    let password = match std::env::var("SEPAKAT_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.chars().count() < MIN_PASSWORD_LEN {
        bail!("the password must have at least {MIN_PASSWORD_LEN} characters");
    }
    Ok(password)
}

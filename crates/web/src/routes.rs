//! The whole app, assembled: the table of contents of every route and the layers around
//! each group.
//!
//! | path | who | module |
//! |---|---|---|
//! | `GET/POST /login`, `POST /logout` | anyone / signed in | `ui::login` |
//! | `GET /bahasa/{id\|en}` | anyone | `ui::language` |
//! | `GET /` | supervisor and up (collectors → `/kerja`) | `ui::portfolio` |
//! | `GET /proses` | supervisor and up | `ui::runs` |
//! | `GET /akun`, `GET /akun/{id}` | signed in | `ui::account` |
//! | `GET /kerja`, `POST /kerja/berikutnya` | collector, supervisor, manager | `ui::worklist` |
//! | `POST /akun/{id}/kontak`, `/ambil`, `/lepas` | collector, supervisor, manager | `ui::contact` |
//! | `POST /akun/{id}/pembayaran`, `…/{payment}/batal` | supervisor, manager, admin | `ui::payment` |
//! | `POST /akun/{id}/jeda` | supervisor, manager | `ui::payment` |
//! | `GET /tim`, `POST /tim/alihkan` | supervisor, manager | `ui::team` |
//! | `GET /templat`, `GET/POST /templat/{stage}/{channel}`, `POST /templat/periksa` | supervisor, manager, compliance, admin (writing: not compliance) | `ui::templates` |
//! | `POST /templat/versi/{id}/keputusan` | compliance | `ui::templates` |
//! | `GET /surat`, `/surat/berkas/{id}`, `POST /surat/cetak`, `/surat/bukti`, `/surat/{tracking}/kirim` | supervisor, manager, admin | `ui::letter` |
//! | `GET /kotak-keluar` | supervisor, manager, compliance, admin | `ui::outbox` |
//! | `POST /kreditur` | signed in | `ui::creditor` |
//! | `/api/v1/…` | bearer token | `api` |
//! | `GET /healthz`, `GET /metrics`, `/static/…` | anyone | `ops` |

use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;

use crate::{api, metrics, ops, session, ui, AppState};

/// The app's router: UI, API and operational endpoints.
pub fn router(state: AppState) -> Router {
    let ui = Router::new()
        .merge(ui::login::router())
        .merge(ui::language::router())
        .merge(ui::portfolio::router().route_layer(from_fn(ui::require_portfolio)))
        .merge(ui::runs::router().route_layer(from_fn(ui::require_portfolio)))
        .merge(ui::account::router())
        .merge(ui::worklist::router())
        .merge(ui::contact::router())
        .merge(ui::payment::router())
        .merge(ui::team::router())
        .merge(ui::negotiation::router())
        .merge(ui::offer::router())
        .merge(ui::message::router())
        .merge(ui::templates::router())
        .merge(ui::letter::router().route_layer(from_fn(ui::letter::require_letters)))
        .merge(ui::outbox::router().route_layer(from_fn(ui::outbox::require_outbox)))
        .merge(ui::creditor::router())
        .fallback(ui::error::not_found)
        // Outermost last: errors are drawn, then the session resolved, then CSRF checked.
        .layer(from_fn(ui::csrf::verify))
        .layer(from_fn_with_state(state.clone(), session::resolve))
        .layer(from_fn(ui::error::render_errors));
    Router::new()
        .merge(ui)
        .nest("/api/v1", api::router(state.clone()))
        .merge(ops::router())
        .layer(from_fn(ops::security_headers))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}

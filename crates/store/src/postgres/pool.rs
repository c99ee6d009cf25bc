//! A small blocking connection pool: a `Mutex<Vec<Client>>` of idle connections, a cap on
//! how many exist at once, and a `Condvar` to wait for one to come back.
//!
//! Kept in-house because the store needs very little (no health-check thread, no async)
//! and every extra dependency is one more thing to audit.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use postgres::{Client, Config, NoTls};

use crate::{StoreError, StoreResult};

/// How long a caller waits for a free connection before giving up.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections to one database, each prepared the same way (e.g. its `search_path`).
pub(crate) struct Pool {
    config: Config,
    /// SQL run once on every new connection (e.g. `SET search_path …`).
    init_sql: Option<String>,
    max_size: usize,
    state: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    idle: Vec<Client>,
    /// Connections in existence: idle plus checked out.
    open: usize,
}

impl Pool {
    /// A pool of at most `max_size` connections; none are opened until needed.
    pub(crate) fn new(config: Config, init_sql: Option<String>, max_size: usize) -> Pool {
        Pool {
            config,
            init_sql,
            max_size: max_size.max(1),
            state: Mutex::new(PoolState {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// A connection for the caller's exclusive use; returned to the pool on drop.
    pub(crate) fn get(&self) -> StoreResult<PooledClient<'_>> {
        let mut state = self.lock();
        loop {
            while let Some(client) = state.idle.pop() {
                // A connection the server closed (restart, idle timeout) is dropped
                // rather than handed out.
                if client.is_closed() {
                    state.open -= 1;
                    continue;
                }
                return Ok(PooledClient {
                    pool: self,
                    client: Some(client),
                });
            }
            if state.open < self.max_size {
                state.open += 1;
                // Connect without holding the lock: it takes a network round trip.
                drop(state);
                return match self.connect() {
                    Ok(client) => Ok(PooledClient {
                        pool: self,
                        client: Some(client),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.returned.notify_one();
                        Err(e)
                    }
                };
            }
            let (next, timeout) = self
                .returned
                .wait_timeout(state, CHECKOUT_TIMEOUT)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = next;
            if timeout.timed_out() && state.idle.is_empty() && state.open >= self.max_size {
                return Err(StoreError::Other(format!(
                    "no PostgreSQL connection free after {}s (pool of {})",
                    CHECKOUT_TIMEOUT.as_secs(),
                    self.max_size
                )));
            }
        }
    }

    fn connect(&self) -> StoreResult<Client> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|e| StoreError::Other(format!("connecting to PostgreSQL: {e}")))?;
        if let Some(sql) = &self.init_sql {
            client
                .batch_execute(sql)
                .map_err(|e| StoreError::Other(format!("preparing a new connection: {e}")))?;
        }
        Ok(client)
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        // The state stays consistent even if a holder panicked (no invariant spans the
        // critical section beyond counters), so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn put_back(&self, client: Client) {
        let mut state = self.lock();
        if client.is_closed() {
            state.open -= 1;
        } else {
            state.idle.push(client);
        }
        drop(state);
        self.returned.notify_one();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.lock().idle);
        if idle.is_empty() {
            return;
        }
        // Each `postgres::Client` owns a small tokio runtime, and dropping a runtime on a
        // thread that drives another (e.g. when the web server's state goes away at
        // shutdown) panics. A plain thread of its own is always a safe place.
        let closer = std::thread::spawn(move || drop(idle));
        if closer.join().is_err() {
            tracing::warn!("closing pooled PostgreSQL connections panicked");
        }
    }
}

/// A checked-out connection; derefs to `postgres::Client`.
pub(crate) struct PooledClient<'p> {
    pool: &'p Pool,
    client: Option<Client>,
}

impl Deref for PooledClient<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("present until drop")
    }
}

impl DerefMut for PooledClient<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("present until drop")
    }
}

impl Drop for PooledClient<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            if std::thread::panicking() {
                // A panic may have left a transaction half-way; do not reuse the socket.
                let mut state = self.pool.lock();
                state.open -= 1;
                drop(state);
                self.pool.returned.notify_one();
            } else {
                self.pool.put_back(client);
            }
        }
    }
}

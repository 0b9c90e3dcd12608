//! The circuit breaker each sender has: after `failures` consecutive
//! failures the sender is skipped for a cool-down, then one probe is let
//! through; its success closes the circuit, its failure opens it again.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// When a sender's circuit opens and for how long.
///
/// ```
/// use std::time::Duration;
/// use whatsapp_router::CircuitBreaker;
///
/// let breaker = CircuitBreaker::new(3, Duration::from_secs(10));
/// assert_eq!(breaker.failures(), 3);
/// assert_eq!(CircuitBreaker::default().failures(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitBreaker {
    failures: u32,
    cool_down: Duration,
}

impl CircuitBreaker {
    /// Opens after `failures` consecutive failures (at least one) for
    /// `cool_down`.
    pub fn new(failures: u32, cool_down: Duration) -> Self {
        Self {
            failures: failures.max(1),
            cool_down,
        }
    }

    /// Consecutive failures that open the circuit.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long an open circuit skips the sender.
    pub fn cool_down(&self) -> Duration {
        self.cool_down
    }
}

impl Default for CircuitBreaker {
    /// Five consecutive failures, thirty seconds.
    fn default() -> Self {
        Self::new(5, Duration::from_secs(30))
    }
}

/// What an attempt said about the sender's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Health {
    /// The vendor answered as a working vendor does (it accepted, or it
    /// refused the message itself).
    Good,
    /// The vendor failed: it could not be reached, did not answer in time,
    /// throttled, erred, refused the credentials.
    Bad,
    /// Nothing was learnt (the attempt was not made).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        consecutive: u32,
    },
    Open {
        until: Instant,
    },
    /// One probe is in flight.
    Probing,
}

/// One sender's circuit.
#[derive(Debug)]
pub(crate) struct Circuit {
    config: CircuitBreaker,
    state: Mutex<State>,
}

impl Circuit {
    pub(crate) fn new(config: CircuitBreaker) -> Self {
        Self {
            config,
            state: Mutex::new(State::Closed { consecutive: 0 }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// May an attempt go to this sender now? `Err` holds when the circuit
    /// lets one through again.
    pub(crate) fn admit(&self) -> Result<(), Option<Instant>> {
        let mut state = self.state();
        match *state {
            State::Closed { .. } => Ok(()),
            State::Open { until } if Instant::now() >= until => {
                *state = State::Probing;
                Ok(())
            }
            State::Open { until } => Err(Some(until)),
            State::Probing => Err(None),
        }
    }

    /// Records what the admitted attempt said.
    pub(crate) fn record(&self, health: Health) {
        let mut state = self.state();
        *state = match (*state, health) {
            (_, Health::Good) => State::Closed { consecutive: 0 },
            (State::Closed { consecutive }, Health::Bad)
                if consecutive + 1 < self.config.failures =>
            {
                State::Closed {
                    consecutive: consecutive + 1,
                }
            }
            (_, Health::Bad) => State::Open {
                until: Instant::now() + self.config.cool_down,
            },
            // A probe that was not made: the next send may probe.
            (State::Probing, Health::Unknown) => State::Open {
                until: Instant::now(),
            },
            (s, Health::Unknown) => s,
        };
    }

    /// Is the circuit open (or probing) now?
    #[cfg(test)]
    pub(crate) fn is_open(&self) -> bool {
        !matches!(*self.state(), State::Closed { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn opens_after_n_failures_probes_once_after_the_cool_down_and_closes() {
        let c = Circuit::new(CircuitBreaker::new(2, Duration::from_secs(10)));
        assert_eq!(c.admit(), Ok(()));
        c.record(Health::Bad);
        assert_eq!(c.admit(), Ok(()), "one failure of two");
        // A success in between starts the count again.
        c.record(Health::Good);
        c.record(Health::Bad);
        assert_eq!(c.admit(), Ok(()));
        c.record(Health::Bad);
        let until = Instant::now() + Duration::from_secs(10);
        assert_eq!(c.admit(), Err(Some(until)));
        tokio::time::advance(Duration::from_millis(9_999)).await;
        assert_eq!(c.admit(), Err(Some(until)));
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(c.admit(), Ok(()), "the probe");
        assert_eq!(c.admit(), Err(None), "one probe at a time");
        c.record(Health::Bad);
        assert_eq!(
            c.admit(),
            Err(Some(Instant::now() + Duration::from_secs(10))),
            "a failed probe opens it again"
        );
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(c.admit(), Ok(()));
        c.record(Health::Good);
        assert!(!c.is_open());
        assert_eq!(c.admit(), Ok(()));
        assert_eq!(c.admit(), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_probe_not_made_lets_the_next_send_probe() {
        let c = Circuit::new(CircuitBreaker::new(1, Duration::from_secs(1)));
        c.record(Health::Bad);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(c.admit(), Ok(()));
        c.record(Health::Unknown);
        assert_eq!(c.admit(), Ok(()));
        // Unknown leaves a closed circuit's count alone.
        let d = Circuit::new(CircuitBreaker::new(2, Duration::from_secs(1)));
        d.record(Health::Bad);
        d.record(Health::Unknown);
        d.record(Health::Bad);
        assert!(d.is_open());
    }
}

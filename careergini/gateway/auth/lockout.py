"""Failed-login throttling by account *and* address, so nobody can lock another person out.

Failures are counted per (account, address) pair. After ``login_free_failures`` each further
attempt from that address must wait (1 s, doubling up to ``login_max_delay_seconds``); at
``login_max_failures_per_account`` the address is locked out of that account for
``login_lockout_seconds``. The same account from any other address is untouched: failing logins
with someone's email only slows the address doing it. A per-address total of accounts failed
(``login_max_failures_per_ip``) stops one address guessing many accounts.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from redis.exceptions import RedisError

from careergini.config import Settings
from careergini.core.cache import Cache
from careergini.core.errors import DependencyUnavailable, TooManyRequests
from careergini.core.ratelimit import RateLimiter
from careergini.core.security import new_opaque_token, token_digest


def pair_key(email: str, ip: str) -> str:
    """Return the key of one (account, address) pair; the email itself is not stored."""
    return hashlib.sha256(f"{email}\x00{ip}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class FailureOutcome:
    failures: int
    locked: bool
    wait_seconds: int


class LoginThrottle:
    def __init__(self, *, cache: Cache, limiter: RateLimiter, settings: Settings) -> None:
        self._cache = cache
        self._limiter = limiter
        self._settings = settings

    async def _until(self, key: str) -> int:
        raw = await self._cache.get(key)
        if raw is None:
            return 0
        return max(0, int(float(raw) - time.time()) + 1)

    async def check(self, *, email: str, ip: str) -> None:
        """Refuse (429) an attempt from an address that is locked out or must still wait."""
        pair = pair_key(email, ip)
        try:
            ip_failures = await self._limiter.peek("login-fail-ip", ip)
            locked_for = await self._until(f"login-lock:{pair}")
            wait_for = await self._until(f"login-wait:{pair}")
        except (RedisError, OSError) as exc:
            # Fail closed: without the counters, guessing would be unthrottled.
            raise DependencyUnavailable(
                "cache",
                detail="Login is briefly unavailable (its throttle's store is down). "
                "Try again in 5 s.",
            ) from exc
        if locked_for:
            raise TooManyRequests(
                "Too many failed logins for this account from your address. Wait, or use the "
                "unlock link sent to the account's email address.",
                retry_after=locked_for,
            )
        if ip_failures >= self._settings.login_max_failures_per_ip:
            raise TooManyRequests(
                "Too many failed logins from your address. Wait a few minutes before trying again.",
                retry_after=self._settings.login_lockout_seconds,
            )
        if wait_for:
            raise TooManyRequests(
                f"Wait {wait_for} s before the next attempt (failed logins slow down).",
                retry_after=wait_for,
            )

    async def failed(self, *, email: str, ip: str) -> FailureOutcome:
        """Count a failure; return how many this pair has, and whether it is now locked."""
        settings = self._settings
        pair = pair_key(email, ip)
        window = settings.login_lockout_seconds
        decision = await self._limiter.hit("login-fail", pair, limit=0, window=window)
        # The address's total counts accounts, not failures: guessing many accounts trips it,
        # a shared address (a classroom behind one NAT) with a few mistyped passwords does not.
        if await self._cache.add(f"login-fail-seen:{pair}", "1", ttl=window):
            await self._limiter.hit("login-fail-ip", ip, limit=0, window=window)
        failures = decision.count
        if failures >= settings.login_max_failures_per_account:
            await self._cache.set(f"login-lock:{pair}", str(time.time() + window), ttl=window)
            return FailureOutcome(failures, True, window)
        if failures >= settings.login_free_failures:
            step = failures - settings.login_free_failures
            wait = min(2 ** min(step, 30), settings.login_max_delay_seconds)
            await self._cache.set(f"login-wait:{pair}", str(time.time() + wait), ttl=wait)
            return FailureOutcome(failures, False, wait)
        return FailureOutcome(failures, False, 0)

    async def clear(self, *, email: str, ip: str) -> None:
        """Forget this pair's failures (a successful login, or an unlock link)."""
        await self.clear_pair(pair_key(email, ip))

    async def clear_pair(self, pair: str) -> None:
        await self._limiter.reset("login-fail", pair)
        await self._cache.delete(
            f"login-lock:{pair}", f"login-wait:{pair}", f"login-fail-seen:{pair}"
        )

    async def new_unlock_token(self, *, email: str, ip: str, user_id: str) -> str:
        """Return a single-use token that lifts this pair's lock (mailed to the account)."""
        token = new_opaque_token()
        await self._cache.set(
            f"login-unlock:{token_digest(token)}",
            f"{pair_key(email, ip)}|{user_id}",
            ttl=self._settings.login_lockout_seconds,
        )
        return token

    async def unlock(self, token: str) -> str | None:
        """Lift the lock an unlock token names; return the account's id, None if invalid."""
        key = f"login-unlock:{token_digest(token)}"
        value = await self._cache.get(key)
        if value is None:
            return None
        await self._cache.delete(key)
        pair, _, user_id = value.decode().partition("|")
        await self.clear_pair(pair)
        return user_id

    async def check_step_up(self, *, user_id: str) -> None:
        """Refuse (429) a signed-in user's password or code check after too many wrong ones.

        Someone holding a stolen session must not be able to guess the password or the code
        that guard turning two-factor off or changing the password.
        """
        failures = await self._limiter.peek("step-up-fail", user_id)
        if failures >= self._settings.login_max_failures_per_account:
            raise TooManyRequests(
                "Too many wrong passwords or codes. Wait before trying again.",
                retry_after=self._settings.login_lockout_seconds,
            )

    async def step_up_failed(self, *, user_id: str) -> None:
        await self._limiter.hit(
            "step-up-fail", user_id, limit=0, window=self._settings.login_lockout_seconds
        )

"""Rate limits in Redis, for the scale mode: many workers, no database round trips.

The whole decision is one Lua script, which Redis runs atomically: no other client's
command runs between reading the counters and writing them back. The script is window.py
in Lua (same milliseconds, same slots, same answers; the backend tests run one set of
scenarios against both). Each key is a hash:

    b       blocked until (epoch ms)       w       slot width (ms)
    <slot>  units granted in that slot

and expires by itself when window.expires_at_ms() says so, so Redis needs no clean-up
job.

Several keys in one request must live on one server (a single Redis, not a Cluster).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import redis

from townsquare.ratelimits.window import Rate, check_request, to_ms

DEFAULT_PREFIX = "townsquare:ratelimit:"

# ARGV: op, now_ms, then for "penalise": until_ms; for "acquire": cost and, per key,
# limit, window_ms, slot_ms. Returns 0 (granted / done) or the wait in ms.
SCRIPT = """
local op = ARGV[1]
local now = tonumber(ARGV[2])

local function keep_until(key, until_ms)
  -- Only ever lengthen the expiry: the key may still hold slots of a longer period.
  local ttl = redis.call('PTTL', key)
  local wanted = until_ms - now
  if wanted < 1 then wanted = 1 end
  if ttl < wanted then redis.call('PEXPIRE', key, wanted) end
end

if op == 'penalise' then
  local until_ms = tonumber(ARGV[3])
  local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
  if until_ms > blocked then
    redis.call('HSET', KEYS[1], 'b', string.format('%d', until_ms))
    keep_until(KEYS[1], until_ms)
  end
  return 0
end

local cost = tonumber(ARGV[3])
local states = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local base = 3 + (i - 1) * 3
  local limit = tonumber(ARGV[base + 1])
  local window = tonumber(ARGV[base + 2])
  local slot = tonumber(ARGV[base + 3])
  local blocked, old_slot, counts = 0, 0, {}
  local raw = redis.call('HGETALL', key)
  for j = 1, #raw, 2 do
    local field, value = raw[j], tonumber(raw[j + 1])
    if field == 'b' then blocked = value
    elseif field == 'w' then old_slot = value
    else counts[tonumber(field)] = value end
  end
  -- regrid(): grants move to the new slot holding the old slot's last millisecond.
  if old_slot ~= 0 and old_slot ~= slot then
    local moved = {}
    for index, count in pairs(counts) do
      local target = math.floor(((index + 1) * old_slot - 1) / slot)
      moved[target] = (moved[target] or 0) + count
    end
    counts = moved
  end
  -- wait_ms()
  local oldest = math.floor((now - window) / slot)
  local key_wait = 0
  if now < blocked then
    key_wait = blocked - now
  else
    local live, used = {}, 0
    for index, count in pairs(counts) do
      if index >= oldest then
        live[#live + 1] = index
        used = used + count
      end
    end
    local excess = used + cost - limit
    if excess > 0 then
      table.sort(live)
      for _, index in ipairs(live) do
        excess = excess - counts[index]
        if excess <= 0 then
          key_wait = (index + 1) * slot + window - now
          break
        end
      end
    end
  end
  if key_wait > wait then wait = key_wait end
  local kept = math.floor((now - 2 * window) / slot)
  states[i] = {counts = counts, kept = kept, slot = slot, window = window, blocked = blocked}
end
if wait > 0 then return wait end

-- take(): every key has room; rewrite each hash without the long-gone slots.
for i, key in ipairs(KEYS) do
  local s = states[i]
  local current = math.floor(now / s.slot)
  s.counts[current] = (s.counts[current] or 0) + cost
  local fields = {'b', string.format('%d', s.blocked), 'w', string.format('%d', s.slot)}
  local newest = current
  for index, count in pairs(s.counts) do
    if index >= s.kept then
      fields[#fields + 1] = string.format('%d', index)
      fields[#fields + 1] = string.format('%d', count)
      if index > newest then newest = index end
    end
  end
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(fields))
  local expires = (newest + 1) * s.slot + 2 * s.window
  if s.blocked > expires then expires = s.blocked end
  keep_until(key, expires)
end
return 0
"""


class RedisBackend:
    """The "redis" backend. `prefix` keeps our keys apart from the broker's (and tests'
    keys apart from each other's); `clock` gives epoch seconds."""

    name = "redis"

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] = time.time,
        client: redis.Redis | None = None,
    ) -> None:
        # Short timeouts: a worker waiting on an unreachable Redis should fail and retry
        # its task, not hang past its publishing lease.
        self.client = client or redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30
        )
        self.prefix = prefix
        self.clock = clock
        self._script: Any = self.client.register_script(SCRIPT)

    def acquire_all(
        self, limits: Sequence[tuple[str, Rate]], now: float | None = None, cost: int = 1
    ) -> float:
        keys = [key for key, _ in limits]
        rates = [rate for _, rate in limits]
        check_request(keys, rates, cost)
        now_ms = to_ms(self.clock() if now is None else now)
        args: list[int | str] = ["acquire", now_ms, cost]
        for rate in rates:
            args += [rate.limit, rate.window_ms, rate.slot_ms]
        wait = int(self._script(keys=[self.prefix + key for key in keys], args=args))
        return wait / 1000

    def penalise(self, key: str, until_epoch: float) -> None:
        args = ["penalise", to_ms(self.clock()), to_ms(until_epoch)]
        self._script(keys=[self.prefix + key], args=args)

    def purge(self, now: float | None = None) -> int:
        """Nothing to do: keys expire by themselves."""
        return 0

    def ping(self) -> bool:
        return bool(self.client.ping())

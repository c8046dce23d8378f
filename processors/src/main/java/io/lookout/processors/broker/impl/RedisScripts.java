package io.lookout.processors.broker.impl;

import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts of the Redis transport: each is one atomic step, so a crash between two Redis
 * calls can duplicate a task but never lose one. Sent by SHA ({@code EVALSHA}), with the source
 * once when the server does not know it yet.
 */
final class RedisScripts {

  /** Current time in ms from the server, so every worker agrees on when a retry is due. */
  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  /**
   * KEYS: queue, inbox, processing, delayed, heartbeat. ARGV: max tasks, heartbeat TTL ms.
   * Promotes due retries onto the queue, then moves the inbox (what a BLMOVE delivered) and up to
   * max tasks from the queue into the processing list, returns them, and refreshes the heartbeat.
   */
  static final Script TAKE = new Script(NOW + """
      local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1000)
      if #due > 0 then
        redis.call('ZREM', KEYS[4], unpack(due))
        redis.call('LPUSH', KEYS[1], unpack(due))
      end
      local out = {}
      local v = redis.call('LMOVE', KEYS[2], KEYS[3], 'RIGHT', 'LEFT')
      while v do
        out[#out + 1] = v
        v = redis.call('LMOVE', KEYS[2], KEYS[3], 'RIGHT', 'LEFT')
      end
      local n = tonumber(ARGV[1])
      while #out < n do
        v = redis.call('LMOVE', KEYS[1], KEYS[3], 'RIGHT', 'LEFT')
        if not v then break end
        out[#out + 1] = v
      end
      redis.call('SET', KEYS[5], '1', 'PX', ARGV[2])
      return out
      """);

  /**
   * KEYS: processing, queue, delayed. ARGV: task, task of the next attempt, delay ms. Returns 0
   * (and does nothing) when the task was no longer ours (the reaper took it back).
   */
  static final Script RETRY = new Script(NOW + """
      if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
      local delay = tonumber(ARGV[3])
      if delay <= 0 then
        redis.call('LPUSH', KEYS[2], ARGV[2])
      else
        redis.call('ZADD', KEYS[3], now + delay, ARGV[2])
      end
      return 1
      """);

  /** KEYS: processing, dead. ARGV: task, dead-letter JSON. Returns 0 when the task was no longer ours. */
  static final Script DEAD = new Script("""
      if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
      redis.call('LPUSH', KEYS[2], ARGV[2])
      return 1
      """);

  /**
   * ARGV: the queue's key. Every registered consumer of the queue whose heartbeat key has expired:
   * its inbox and processing list go back onto the queue, and it is unregistered. Returns the
   * number of tasks requeued. (Keys are built in the script: fine on a single Redis, not Cluster.)
   */
  static final Script REAP = new Script("""
      local base = ARGV[1]
      local ids = redis.call('SMEMBERS', base .. ':consumers')
      local moved = 0
      for _, id in ipairs(ids) do
        if redis.call('EXISTS', base .. ':consumer:' .. id) == 0 then
          for _, list in ipairs({base .. ':processing:' .. id, base .. ':inbox:' .. id}) do
            local v = redis.call('LMOVE', list, base, 'LEFT', 'RIGHT')
            while v do
              moved = moved + 1
              v = redis.call('LMOVE', list, base, 'LEFT', 'RIGHT')
            end
          end
          redis.call('SREM', base .. ':consumers', id)
        end
      end
      return moved
      """);

  /**
   * KEYS: processing, inbox, queue, heartbeat, consumers. ARGV: consumer id. A consumer closing:
   * what it still holds goes back to the queue (next in line), then it unregisters.
   */
  static final Script RELEASE = new Script("""
      local moved = 0
      for i = 1, 2 do
        local v = redis.call('LMOVE', KEYS[i], KEYS[3], 'LEFT', 'RIGHT')
        while v do
          moved = moved + 1
          v = redis.call('LMOVE', KEYS[i], KEYS[3], 'LEFT', 'RIGHT')
        end
      end
      redis.call('DEL', KEYS[4])
      redis.call('SREM', KEYS[5], ARGV[1])
      return moved
      """);

  private RedisScripts() {
  }

  record Script(String source, String sha) {

    Script(String source) {
      this(source, sha1(source));
    }

    /** {@code args} are Strings, Buffers or numbers. */
    Future<Response> run(RedisConnector redis, List<String> keys, List<Object> args) {
      return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
        String message = err.getMessage();
        if (message != null && message.startsWith("NOSCRIPT")) {
          return redis.send(request(Command.EVAL, source, keys, args));
        }
        return Future.failedFuture(err);
      });
    }

    private static Request request(Command command, String script, List<String> keys, List<Object> args) {
      Request r = Request.cmd(command).arg(script).arg(keys.size());
      keys.forEach(r::arg);
      for (Object a : args) {
        if (a instanceof Buffer b) {
          r.arg(b);
        } else if (a instanceof Number n) {
          r.arg(n.longValue());
        } else {
          r.arg(String.valueOf(a));
        }
      }
      return r;
    }

    private static String sha1(String source) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
            .digest(source.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

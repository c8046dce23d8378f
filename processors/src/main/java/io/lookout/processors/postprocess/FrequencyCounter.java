package io.lookout.processors.postprocess;

import io.lookout.processors.postprocess.AlertRule.Interval;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How often an issue was seen in the last minute, 5 minutes, ... 30 days, for
 * {@code EventFrequencyCondition}: counters in Redis in per-minute, per-hour and per-day buckets,
 * so every window is a sum of at most 60 buckets. Counting an event and reading the windows is
 * one script call, and a whole batch of events is one pipelined round trip. An event is counted
 * once even when the forwarder replays it (a marker per event id).
 */
public final class FrequencyCounter {

  /**
   * KEYS[1]: the event's marker; KEYS[2..4]: the minute, hour and day buckets to count into;
   * KEYS[5..]: buckets to read. ARGV[1]: marker TTL; ARGV[2..4]: bucket TTLs; ARGV[5..]: how many
   * of the read keys belong to each window, in order. Returns one sum per window.
   */
  private static final String SCRIPT = """
      if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
        for i = 2, 4 do
          redis.call('INCR', KEYS[i])
          redis.call('EXPIRE', KEYS[i], ARGV[i])
        end
      end
      local out = {}
      local k = 5
      for g = 5, #ARGV do
        local sum = 0
        for j = 1, tonumber(ARGV[g]) do
          local v = redis.call('GET', KEYS[k])
          if v then sum = sum + tonumber(v) end
          k = k + 1
        end
        out[#out + 1] = sum
      end
      return out
      """;

  private static final long MINUTE_TTL_S = 2 * 3600;
  private static final long HOUR_TTL_S = 26 * 3600;
  private static final long DAY_TTL_S = 31 * 86400;
  private static final long MARKER_TTL_S = 31 * 86400;

  private final RedisConnector redis;
  private final LongSupplier clockMs;

  public FrequencyCounter(RedisConnector redis, LongSupplier clockMs) {
    this.redis = redis;
    this.clockMs = clockMs;
  }

  /** What to count and read for one event. */
  public record Query(PostProcessJob job, List<Interval> intervals) {
  }

  /** Counts each job's event into its issue's buckets and answers the sums of the windows asked for, in order. */
  public Future<List<Map<Interval, Long>>> count(List<Query> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long minute = clockMs.getAsLong() / 60_000;
    List<Request> commands = new ArrayList<>(requests.size());
    for (Query r : requests) {
      commands.add(command(r, minute));
    }
    return redis.batch(commands).map(responses -> {
      List<Map<Interval, Long>> out = new ArrayList<>(requests.size());
      for (int i = 0; i < requests.size(); i++) {
        Map<Interval, Long> sums = new EnumMap<>(Interval.class);
        Response response = responses.get(i);
        List<Interval> intervals = requests.get(i).intervals();
        for (int j = 0; j < intervals.size(); j++) {
          sums.put(intervals.get(j), response.get(j).toLong());
        }
        out.add(sums);
      }
      return out;
    });
  }

  private Request command(Query r, long minute) {
    long group = r.job().groupId();
    long hour = minute / 60;
    long day = minute / 1440;
    List<String> keys = new ArrayList<>();
    keys.add(redis.key("pp:freq:seen:" + r.job().projectId() + ":" + r.job().eventId()));
    keys.add(bucket("m", group, minute));
    keys.add(bucket("h", group, hour));
    keys.add(bucket("d", group, day));
    List<String> groupSizes = new ArrayList<>();
    for (Interval interval : r.intervals()) {
      int before = keys.size();
      int minutes = interval.minutes();
      if (minutes <= 60) {
        for (long m = minute - minutes + 1; m <= minute; m++) {
          keys.add(bucket("m", group, m));
        }
      } else if (minutes <= 1440) {
        for (long h = hour - minutes / 60 + 1; h <= hour; h++) {
          keys.add(bucket("h", group, h));
        }
      } else {
        for (long d = day - minutes / 1440 + 1; d <= day; d++) {
          keys.add(bucket("d", group, d));
        }
      }
      groupSizes.add(Integer.toString(keys.size() - before));
    }
    Request request = Request.cmd(Command.EVAL).arg(SCRIPT).arg(keys.size());
    keys.forEach(request::arg);
    request.arg(MARKER_TTL_S).arg(MINUTE_TTL_S).arg(HOUR_TTL_S).arg(DAY_TTL_S);
    groupSizes.forEach(request::arg);
    return request;
  }

  private String bucket(String unit, long group, long slot) {
    return redis.key("pp:freq:" + unit + ":" + group + ":" + slot);
  }
}

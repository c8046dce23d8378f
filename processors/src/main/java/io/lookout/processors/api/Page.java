package io.lookout.processors.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One page of a keyset-paginated list and the cursors around it.
 *
 * @param items the page, in the list's order
 * @param previous cursor to the page before; {@code previousHasResults} says whether there is one
 * @param next cursor to the page after; {@code nextHasResults} says whether there is one
 */
public record Page<T>(List<T> items, Cursor previous, boolean previousHasResults, Cursor next,
    boolean nextHasResults) {

  /**
   * Builds the page from what a query returned for {@code cursor}: up to {@code limit + 1} rows in
   * query order (descending for a forward cursor, ascending for a previous one); the extra row only
   * says that there is more in the direction read.
   */
  public static <T> Page<T> of(List<T> fetched, int limit, Cursor cursor, ToLongFunction<T> value,
      ToLongFunction<T> id) {
    boolean more = fetched.size() > limit;
    List<T> items = new ArrayList<>(fetched.subList(0, Math.min(limit, fetched.size())));
    boolean backwards = cursor != null && cursor.prev();
    if (backwards) {
      Collections.reverse(items);
    }
    // reading forward from a cursor means the cursor's own row is behind us, and the reverse
    boolean hasPrevious = backwards ? more : cursor != null;
    boolean hasNext = backwards || more;
    if (items.isEmpty()) {
      Cursor at = cursor == null ? new Cursor(0, 0, false) : cursor;
      return new Page<>(items, new Cursor(at.value(), at.id(), true), hasPrevious && !backwards,
          new Cursor(at.value(), at.id(), false), backwards);
    }
    T first = items.get(0);
    T last = items.get(items.size() - 1);
    return new Page<>(items, new Cursor(value.applyAsLong(first), id.applyAsLong(first), true), hasPrevious,
        new Cursor(value.applyAsLong(last), id.applyAsLong(last), false), hasNext);
  }

  /**
   * Sentry's {@code Link} header: {@code <URL&cursor=C>; rel="previous"; results="false"; cursor="C", <...>;
   * rel="next"; ...}. {@code url} is the request's absolute URL without its {@code cursor} parameter.
   */
  public String linkHeader(String url) {
    String base = url.contains("?") ? url : url + "?";
    return link(base, "previous", previous, previousHasResults) + ", " + link(base, "next", next, nextHasResults);
  }

  private static String link(String base, String rel, Cursor cursor, boolean results) {
    return "<" + base + "&cursor=" + cursor + ">; rel=\"" + rel + "\"; results=\"" + results + "\"; cursor=\""
        + cursor + "\"";
  }
}

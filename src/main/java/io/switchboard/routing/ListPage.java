package io.switchboard.routing;

import io.switchboard.refusal.InvalidInput;
import java.util.List;

/** A page of a short list (an organization's departments, members, policies) in the API's paged shape. */
record ListPage<T>(List<T> items, String nextCursor) {

    static final int MAX_LIMIT = 500;

    /** {@code cursor} is the position a previous page returned as {@code next_cursor}. */
    static <T> ListPage<T> of(List<T> all, int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInput("limit must be between 1 and " + MAX_LIMIT);
        }
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0) {
                throw new InvalidInput("cursor '" + cursor + "' is not one this API returned");
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new ListPage<>(from >= all.size() ? List.of() : all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
    }
}

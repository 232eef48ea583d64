package io.rehearsal.pipelines.init;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code rehearsal init} reads off a lake to derive a starter manifest: the events' first and last day (UTC),
 * how many users there are and how many have two events or more, the 75th percentile of revenue per buyer, the events
 * per type, and the users table's categorical attributes with their most common value.
 *
 * @param eventsByType events per canonical type (types without events absent)
 * @param revenueP75 the 75th percentile of Σ quantity × unit_price over purchases per user with a purchase; null
 *     when no purchase has a price
 * @param attributes per users-table column that segments could use (loyalty tier, country, device): its distinct
 *     values and most common value
 * @param personal the users-table columns holding personal data (email, phone, full_name) that have values
 */
public record LakeFacts(LocalDate firstDay, LocalDate lastDay, long events, long users, long usersWithTwoEvents,
    Map<String, Long> eventsByType, Double revenueP75, Map<String, Attribute> attributes, List<String> personal) {

  /** A categorical users-table column: its distinct non-null values and the most common one with its share of users. */
  public record Attribute(String column, long distinct, String top, double topShare) {}

  public LakeFacts {
    Objects.requireNonNull(firstDay, "firstDay");
    Objects.requireNonNull(lastDay, "lastDay");
    eventsByType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(eventsByType));
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    personal = List.copyOf(personal);
  }

  /** Days from the first to the last day, both included. */
  public long days() {
    return java.time.temporal.ChronoUnit.DAYS.between(firstDay, lastDay) + 1;
  }
}

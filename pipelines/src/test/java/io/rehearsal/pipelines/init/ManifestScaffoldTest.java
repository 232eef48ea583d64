package io.rehearsal.pipelines.init;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.transforms.RehearsalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The dates and segments of a scaffolded manifest, worked out by hand from the rules in ManifestScaffold's doc. */
public class ManifestScaffoldTest {

  private static LakeFacts facts(String first, String last, long usersWithTwo, Double p75) {
    return new LakeFacts(LocalDate.parse(first), LocalDate.parse(last), 18_000, 4_000, usersWithTwo,
        Map.of("purchase", 17_000L, "return", 1_000L), p75,
        Map.of("country", new LakeFacts.Attribute("country", 30, "United Kingdom", 0.9)), List.of());
  }

  @Test
  public void aYearOfRetailDataGetsAFourWeekHorizonAndDriftWeeksFourWeeksApart() {
    // 2010-12-01 .. 2011-12-09: 374 days; a tenth is 37, capped at 28. End (exclusive) 2011-12-10, cutoff 28 days
    // before: 2011-11-12. Current week: the 7 days before the cutoff; reference: the same weekdays 28 days earlier.
    ManifestScaffold.Dates d = ManifestScaffold.dates(facts("2010-12-01", "2011-12-09", 3_000, 400.0));
    assertEquals(new ManifestScaffold.Dates(LocalDate.parse("2010-12-01"), LocalDate.parse("2011-12-10"),
        LocalDate.parse("2011-11-12"), 28, LocalDate.parse("2011-11-11"), LocalDate.parse("2011-10-08"),
        LocalDate.parse("2011-10-14"), LocalDate.parse("2011-11-05"), LocalDate.parse("2011-11-11")), d);
  }

  @Test
  public void aMonthOfDataGetsTheShortestHorizonAndItsFirstWeekAsReference() {
    // 30 days: a tenth is 3, raised to 7; end 2025-01-31, cutoff 2025-01-24; four weeks before the current week
    // (from 2025-01-17) is before the first day, so the reference is the lake's first week with history: features on
    // a day see the events before it, so from the day after the first event.
    ManifestScaffold.Dates d = ManifestScaffold.dates(facts("2025-01-01", "2025-01-30", 100, null));
    assertEquals(LocalDate.parse("2025-01-24"), d.cutoff());
    assertEquals(7, d.horizonDays());
    assertEquals(LocalDate.parse("2025-01-02"), d.referenceStart());
    assertEquals(LocalDate.parse("2025-01-08"), d.referenceEnd());
    assertEquals(LocalDate.parse("2025-01-17"), d.currentStart());
  }

  @Test
  public void fewerThan28DaysAreRefusedWithTheSpan() {
    try {
      ManifestScaffold.dates(facts("2025-01-01", "2025-01-20", 100, null));
      throw new AssertionError("expected a refusal");
    } catch (RehearsalException e) {
      assertEquals("Cannot scaffold a manifest: the lake's events span 20 days (2025-01-01 to 2025-01-20), fewer than the "
          + "28 a testbed needs (training history, a drift reference and a held-out horizon)", e.problem() + ": " + e.causeText());
    }
  }

  @Test
  public void ratesKeepAbout20000UsersAndThresholdsHaveTwoSignificantDigits() {
    assertEquals("1.0", ManifestScaffold.rate(20_000));
    assertEquals("0.4", ManifestScaffold.rate(50_000));
    assertEquals("0.016", ManifestScaffold.rate(1_234_567)); // 0.01620...
    assertEquals("1200", ManifestScaffold.nice(1234.56));
    assertEquals("87", ManifestScaffold.nice(87.3));
    assertEquals("0.45", ManifestScaffold.nice(0.456));
    assertEquals("0.7 is not 0.69 (its binary expansion is 0.6999…)", "0.7", ManifestScaffold.nice(0.7));
  }

  @Test
  public void theScaffoldLoadsAsAManifestWithTheDerivedValues() {
    ManifestScaffold.Result r = ManifestScaffold.of("online_retail", "my/lake", "my/lake-warehouse",
        facts("2010-12-01", "2011-12-09", 3_000, 412.5));
    Manifest m = new ManifestLoader().load(Path.of("my/online-retail.yaml"), r.yaml().getBytes(StandardCharsets.UTF_8));
    assertEquals("online_retail", m.name());
    assertEquals("my/lake", m.lake());
    assertEquals("my/lake-warehouse", m.warehouse());
    assertEquals(List.of("active_customers", "top_spenders"), r.segments());
    assertEquals("revenue_in_window >= 410", m.segment("top_spenders").filter());
    assertEquals(LocalDate.parse("2011-11-12"), m.evaluation().cutoff());
    assertEquals(28, m.evaluation().horizonDays());
    assertTrue(r.yaml(), r.yaml().contains("  # - name: country_united_kingdom\n  #   filter: \"country = 'United Kingdom'\"\n"));
  }
}

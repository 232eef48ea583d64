package io.rehearsal.transforms.simulation;

import java.util.List;
import java.util.Locale;

/**
 * One declared catalog change (docs/simulation.md): new SKUs injected into categories, category price
 * shifts and retired items, in any combination. The scenario named {@value #UNCHANGED} is the catalog as
 * it is; every other scenario is measured against it.
 */
public record CatalogScenario(String name, List<NewItems> newItems, List<PriceShift> priceShifts, Retirement retire) {

  public static final String UNCHANGED = "unchanged";

  public CatalogScenario {
    newItems = List.copyOf(newItems);
    priceShifts = List.copyOf(priceShifts);
  }

  public static CatalogScenario unchanged() {
    return new CatalogScenario(UNCHANGED, List.of(), List.of(), null);
  }

  /**
   * {@code count} cold items (no interactions) in a category, launched the day before the cutoff; priced
   * at {@code price}, or at the category's median price when null.
   */
  public record NewItems(int count, String category, Double price) {}

  /** Every item of a category gets its price multiplied by 1 + percent / 100. */
  public record PriceShift(String category, double percent) {
    public double factor() {
      return 1 + percent / 100.0;
    }
  }

  /** Items taken out of the catalog: the {@code topPopular} most interacted with before the cutoff, and named ones. */
  public record Retirement(int topPopular, List<String> items) {
    public Retirement {
      items = List.copyOf(items);
    }
  }

  /** The id of the i-th (1-based) new item of the j-th (0-based) new-items block: never a real item's id. */
  public String newItemId(int block, int i) {
    return String.format(Locale.ROOT, "sim-%s-%s-%04d", name, newItems.get(block).category(), i);
  }
}

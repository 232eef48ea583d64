package io.rehearsal.transforms.slicing;

import java.util.List;

/** Columns to replace by salted SHA-256 pseudonyms, and columns to drop, in every snapshot table. */
public record PrivacySpec(List<String> pseudonymize, List<String> drop) {

  public static final PrivacySpec NONE = new PrivacySpec(List.of(), List.of());

  public PrivacySpec {
    pseudonymize = pseudonymize == null ? List.of() : List.copyOf(pseudonymize);
    drop = drop == null ? List.of() : List.copyOf(drop);
  }
}

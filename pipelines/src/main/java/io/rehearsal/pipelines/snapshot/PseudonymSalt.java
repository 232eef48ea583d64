package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.RehearsalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pseudonymization salt comes from the environment, never from a manifest:
 * {@code REHEARSAL_PSEUDONYM_SALT}, or a secret file named by {@code REHEARSAL_PSEUDONYM_SALT_FILE}.
 */
public final class PseudonymSalt {

  public static final String ENV = "REHEARSAL_PSEUDONYM_SALT";
  public static final String FILE_ENV = "REHEARSAL_PSEUDONYM_SALT_FILE";

  private PseudonymSalt() {}

  /** The configured salt, or null when none is configured. */
  public static String fromEnvironment(Map<String, String> env) {
    String value = env.get(ENV);
    if (value != null && !value.isEmpty()) {
      return value;
    }
    String file = env.get(FILE_ENV);
    if (file == null || file.isEmpty()) {
      return null;
    }
    try {
      String salt = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (salt.isEmpty()) {
        throw RehearsalException.invalidInput("Cannot read the pseudonymization salt",
            "the file " + file + " named by " + FILE_ENV + " is empty", "write the secret salt into that file");
      }
      return salt;
    } catch (IOException e) {
      throw RehearsalException.invalidInput("Cannot read the pseudonymization salt",
          FILE_ENV + " names " + file + ", which cannot be read (" + e.getMessage() + ")",
          "point " + FILE_ENV + " at a readable file holding the secret salt", e);
    }
  }
}

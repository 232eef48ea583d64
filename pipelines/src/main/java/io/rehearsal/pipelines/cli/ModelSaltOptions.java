package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --salt-file} of the commands that score models: the salt is optional there. */
public final class ModelSaltOptions {

  @Option(names = "--salt-file", paramLabel = "FILE",
      description = "The snapshot's pseudonymization salt, needed only when a spark_ml or table model uses production "
          + "user ids (default: $" + PseudonymSalt.ENV + " or $" + PseudonymSalt.FILE_ENV + ").")
  String saltFile;

  /** The salt from --salt-file or the environment, or null when neither gives one. */
  String salt() {
    return saltOrNull(saltFile);
  }

  /** The salt in that file if one is named, else the environment's, or null when neither gives one. */
  static String saltOrNull(String saltFile) {
    if (saltFile != null) {
      return PseudonymSalt.fromEnvironment(Map.of(PseudonymSalt.FILE_ENV, saltFile));
    }
    if (System.getenv(PseudonymSalt.ENV) == null && System.getenv(PseudonymSalt.FILE_ENV) == null) {
      return null;
    }
    return PseudonymSalt.fromEnvironment(System.getenv());
  }
}

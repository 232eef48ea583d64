package io.rehearsal.transforms.mapping;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_timestamp_ltz;
import static org.apache.spark.sql.functions.minute;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.to_timestamp_ntz;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Turns a raw mapped value (a source column, an expression result or a constant) into its canonical
 * type, in two projections: {@link #parse} (string/number to typed value; timestamps to wall-clock
 * TIMESTAMP_NTZ) and {@link #finish} (wall-clock to a UTC instant in the mapping's time zone).
 *
 * <p>Every conversion is a {@code try_} conversion: a value that cannot be converted becomes null, so
 * the caller can count it as unparseable instead of failing the job (also under ANSI mode). None of
 * them depends on the session time zone.
 */
final class ValueConversion {

  /** Characters Spark's {@code to_number} formats are made of; anything else cannot be valid. */
  static final Pattern DECIMAL_FORMAT = Pattern.compile("[09.,DGS$MIPR]+");

  private final DataType raw;
  private final DataType target;
  private final String format;
  private final String timeZone;

  ValueConversion(DataType raw, DataType target, String format, String timeZone) {
    this.raw = raw;
    this.target = target;
    this.format = format;
    this.timeZone = timeZone;
  }

  boolean hasFormat() {
    return format != null;
  }

  String format() {
    return format;
  }

  /** What the format must describe, for messages. */
  String targetDescription() {
    return target instanceof TimestampType ? "timestamps" : target.simpleString() + " numbers";
  }

  /** Whether a raw value of this type can become the target type. */
  static boolean accepts(DataType target, DataType raw) {
    if (target instanceof StringType) {
      return raw instanceof StringType || raw instanceof NumericType || raw instanceof BooleanType || raw instanceof DateType;
    }
    if (target instanceof IntegerType || target instanceof DecimalType) {
      return raw instanceof StringType || raw instanceof NumericType;
    }
    if (target instanceof TimestampType) {
      return raw instanceof StringType || raw instanceof TimestampType || raw instanceof TimestampNTZType || raw instanceof DateType;
    }
    return false;
  }

  /** The raw types {@link #accepts} takes, for messages. */
  static String acceptedTypes(DataType target) {
    if (target instanceof StringType) {
      return "a string, number, boolean or date";
    }
    if (target instanceof IntegerType || target instanceof DecimalType) {
      return "a number or a string";
    }
    return "a string, timestamp, timestamp_ntz or date";
  }

  /** Whether a format applies to this target type at all. */
  static boolean takesFormat(DataType target) {
    return target instanceof TimestampType || target instanceof DecimalType;
  }

  /**
   * The typed literal for a constant, or an IllegalArgumentException whose message says what was
   * expected. Timestamps have no constants (use an expression such as {@code TIMESTAMP '...'}).
   */
  static Object constantValue(DataType target, String text) {
    if (target instanceof StringType) {
      if (text.isBlank()) {
        throw new IllegalArgumentException("a non-blank string");
      }
      return text;
    }
    if (target instanceof IntegerType) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("an integer");
      }
    }
    if (target instanceof DecimalType) {
      DecimalType d = (DecimalType) target;
      String expected = "a decimal number with at most " + (d.precision() - d.scale()) + " digits before the point and "
          + d.scale() + " after";
      BigDecimal value;
      try {
        value = new BigDecimal(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(expected);
      }
      if (value.scale() > d.scale()) {
        throw new IllegalArgumentException(expected);
      }
      BigDecimal scaled = value.setScale(d.scale());
      if (scaled.precision() > d.precision()) {
        throw new IllegalArgumentException(expected);
      }
      return scaled;
    }
    throw new IllegalArgumentException("a source or an expr (constants are not supported for " + target.simpleString()
        + " columns; write e.g. expr: \"TIMESTAMP '2011-01-01 00:00:00'\")");
  }

  /** Whether a non-missing raw value can fail to convert (and so be counted as unparseable). */
  boolean mayFail() {
    if (target instanceof StringType) {
      return false;
    }
    if (target instanceof IntegerType) {
      return !(raw instanceof ByteType || raw instanceof ShortType || raw instanceof IntegerType);
    }
    if (target instanceof TimestampType) {
      return raw instanceof StringType;
    }
    return true;
  }

  /** True when the raw value is absent: null, or a blank string. */
  Column missing(String rawName) {
    Column r = col(quoted(rawName));
    if (raw instanceof StringType) {
      return r.isNull().or(trim(r).equalTo(""));
    }
    return r.isNull();
  }

  /** First projection: the typed value (timestamps: wall-clock TIMESTAMP_NTZ, or the instant when the raw value already is one). */
  Column parse(String rawName) {
    Column r = col(quoted(rawName));
    if (target instanceof StringType) {
      return raw instanceof StringType ? when(trim(r).notEqual(""), r) : r.cast(DataTypes.StringType);
    }
    if (target instanceof IntegerType) {
      if (raw instanceof ByteType || raw instanceof ShortType || raw instanceof IntegerType) {
        return r.cast(DataTypes.IntegerType);
      }
      Column cast = tryCast(rawName, "INT");
      if (raw instanceof StringType || raw instanceof LongType) {
        return cast;
      }
      // Fractional numbers: only whole values are quantities; 2.5 is unparseable rather than truncated.
      return when(r.equalTo(floor(r)), cast);
    }
    if (target instanceof DecimalType) {
      String sqlType = target.sql();
      if (raw instanceof StringType && format != null) {
        return expr("try_cast(try_to_number(" + quoted(rawName) + ", '" + format + "') AS " + sqlType + ")");
      }
      return tryCast(rawName, sqlType);
    }
    if (target instanceof TimestampType) {
      if (raw instanceof StringType) {
        if (format == null) {
          return tryCast(rawName, "TIMESTAMP_NTZ");
        }
        // try_to_timestamp guards to_timestamp_ntz, which throws on bad input under ANSI mode.
        return when(try_to_timestamp(r, lit(format)).isNotNull(), to_timestamp_ntz(r, lit(format)));
      }
      if (raw instanceof DateType) {
        return r.cast(DataTypes.TimestampNTZType);
      }
      return r;
    }
    throw new IllegalStateException("No conversion to " + target.simpleString());
  }

  /** Whether {@link #finish} does anything: wall-clock values still need their time zone. */
  boolean needsFinish() {
    return target instanceof TimestampType && !(raw instanceof TimestampType);
  }

  /** Second projection: reads a wall-clock TIMESTAMP_NTZ as local time in the mapping's time zone. */
  Column finish(String parsedName) {
    if (!needsFinish()) {
      return col(quoted(parsedName));
    }
    Column p = col(quoted(parsedName));
    // make_timestamp_ltz with an explicit zone is independent of spark.sql.session.timeZone. In a DST
    // gap the wall-clock time moves forward by the gap; in an overlap the earlier instant is taken.
    return make_timestamp_ltz(year(p), month(p), dayofmonth(p), hour(p), minute(p),
        expr("extract(SECOND FROM " + quoted(parsedName) + ")"), lit(timeZone));
  }

  private static Column tryCast(String name, String sqlType) {
    return expr("try_cast(" + quoted(name) + " AS " + sqlType + ")");
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

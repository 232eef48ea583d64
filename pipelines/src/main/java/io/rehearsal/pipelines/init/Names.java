package io.rehearsal.pipelines.init;

import java.util.List;
import java.util.Locale;

/**
 * The source column names that suggest a canonical column: exact names (compared without case, spaces or
 * punctuation: {@code Customer ID}, {@code customer_id} and {@code CustomerID} are one name) and the words a longer
 * name may contain together with an id-like word.
 */
enum Names {
  USER(List.of("userid", "user", "customerid", "customer", "custid", "clientid", "client", "memberid", "shopperid",
      "accountid", "buyerid", "visitorid", "customerno", "customernumber", "customerkey"),
      List.of("customer", "user", "client", "member", "shopper", "buyer", "visitor"), true),
  ITEM(List.of("itemid", "item", "productid", "product", "sku", "skuid", "stockcode", "articleid", "article",
      "productcode", "itemcode", "asin", "upc", "ean", "gtin", "itemno", "productno"),
      List.of("item", "product", "sku", "stock", "article"), true),
  TIME(List.of("eventts", "eventtime", "eventtimestamp", "timestamp", "ts", "datetime", "time", "date", "invoicedate",
      "orderdate", "orderts", "ordertime", "transactiondate", "transactiontime", "purchasedate", "createdat",
      "eventdate"), List.of("timestamp", "datetime", "date", "time"), false),
  QUANTITY(List.of("quantity", "qty", "units", "unitssold", "quantityordered", "numitems", "pieces"),
      List.of("quantity", "qty"), false),
  PRICE(List.of("unitprice", "price", "itemprice", "priceeach", "saleprice", "unitcost"), List.of("price"), false) {
    @Override
    boolean matches(String name) {
      String n = normal(name);
      return super.matches(name) && !n.contains("total") && !n.contains("sum") && !n.contains("revenue");
    }
  },
  ORDER(List.of("orderid", "order", "invoiceno", "invoice", "invoiceid", "invoicenumber", "orderno", "ordernumber",
      "transactionid", "transaction", "receiptid", "receipt", "basketid", "basket", "cartid", "purchaseid"),
      List.of("order", "invoice", "transaction", "receipt", "basket"), true),
  SESSION(List.of("sessionid", "session", "visitid", "visit"), List.of("session"), false),
  COUNTRY(List.of("country", "countrycode", "countryname", "market"), List.of("country"), false),
  DEVICE(List.of("device", "devicetype", "platform", "channel", "os"), List.of("device"), false),
  EVENT_TYPE(List.of("eventtype", "event", "action", "eventname", "type", "interaction", "interactiontype",
      "behavior", "behaviour", "activity"), List.of("eventtype", "action"), false),
  CATEGORY(List.of("category", "categoryname", "productcategory", "department", "dept", "cat", "categorycode"),
      List.of("category", "department"), false),
  BRAND(List.of("brand", "brandname", "manufacturer", "vendor", "make"), List.of("brand"), false),
  LAUNCH(List.of("launchdate", "launchts", "releasedate", "launchedat", "firstavailable"), List.of("launch", "release"),
      false),
  DESCRIPTION(List.of("description", "productname", "itemname", "title", "productdescription", "productdesc",
      "itemdescription"), List.of("description"), false),
  SIGNUP(List.of("signupts", "signupdate", "signup", "registrationdate", "registeredat", "joined", "joindate",
      "customersince"), List.of("signup", "registration", "registered"), false),
  LOYALTY(List.of("loyaltytier", "tier", "loyalty", "membership", "membershiptier", "loyaltylevel", "loyaltystatus"),
      List.of("loyalty", "tier"), false),
  EMAIL(List.of("email", "emailaddress", "mail"), List.of("email"), false),
  PHONE(List.of("phone", "phonenumber", "mobile", "telephone", "tel"), List.of("phone"), false),
  FULL_NAME(List.of("fullname", "customername", "username"), List.of("fullname"), false);

  private static final List<String> ID_WORDS = List.of("id", "no", "number", "key", "code", "nr", "sku");

  private final List<String> exact;
  private final List<String> words;
  private final boolean needsIdWord;

  Names(List<String> exact, List<String> words, boolean needsIdWord) {
    this.exact = exact;
    this.words = words;
    this.needsIdWord = needsIdWord;
  }

  /** The name is one of the exact names. */
  boolean exact(String name) {
    return exact.contains(normal(name));
  }

  /** The name is an exact name, or contains one of the words (and, for ids, ends in an id-like word). */
  boolean matches(String name) {
    String n = normal(name);
    if (exact.contains(n)) {
      return true;
    }
    boolean word = words.stream().anyMatch(n::contains);
    return word && (!needsIdWord || ID_WORDS.stream().anyMatch(n::endsWith));
  }

  static String normal(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}

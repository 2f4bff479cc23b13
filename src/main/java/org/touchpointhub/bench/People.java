package org.touchpointhub.bench;

import org.touchpointhub.identity.SyntheticPeople;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's synthetic population: person {@code n} is derived from (seed, n) alone, so the preload (people
 * {@code 0 … preloaded-1}, written straight into the store) and the load generator (the same people again, fuzzy
 * variants of them, and people of its own) draw from one distribution of names, cities, streets and companies.
 *
 * <p>Why these lists: names follow the shape of real ones (a few very common family names, a long tail of rarer
 * ones, given names with nicknames) so that blocking keys behave as in a live store: name-only blocks of common
 * names fill up as the store grows (and are skipped above {@code hub.identity.max-block}), while keys combining a
 * name with a postcode, a city or an e-mail local part stay selective. Every person has a unique e-mail and a
 * unique US phone, both identity keys.
 */
final class People {

    /**
     * Given names with their usual nickname (the same when there is none): the evaluation generator's names
     * ({@link SyntheticPeople#givenNames()}) and more, so common names fill their blocks in a large store.
     */
    private static final String[][] GIVEN = java.util.stream.Stream.concat(
            java.util.Arrays.stream(SyntheticPeople.givenNames()), java.util.Arrays.stream(new String[][] {
            {"Jennifer", "Jen"}, {"Christopher", "Chris"}, {"Matthew", "Matt"}, {"Joseph", "Joe"},
            {"Anthony", "Tony"}, {"Patricia", "Pat"}, {"Susan", "Sue"}, {"Deborah", "Debbie"}, {"Rebecca", "Becky"},
            {"Andrew", "Andy"}, {"Steven", "Steve"}, {"Kenneth", "Ken"}, {"Edward", "Ed"}, {"Ronald", "Ron"},
            {"Timothy", "Tim"}, {"Jacob", "Jake"}, {"Nicholas", "Nick"}, {"Jonathan", "Jon"}, {"Gregory", "Greg"},
            {"Victoria", "Vicky"}, {"Samantha", "Sam"}, {"Abigail", "Abby"}, {"Emily", "Emily"}, {"Sofia", "Sofia"},
            {"Lucas", "Lucas"}, {"Mateo", "Mateo"}, {"Wei", "Wei"}, {"Hiroshi", "Hiroshi"}, {"Fatima", "Fatima"},
            {"Aisha", "Aisha"}, {"Carlos", "Carlos"}, {"Elena", "Elena"}, {"Ingrid", "Ingrid"}, {"Kwame", "Kwame"},
            {"Lars", "Lars"}, {"Marta", "Marta"}, {"Omar", "Omar"}, {"Rosa", "Rosa"}, {"Sven", "Sven"},
            {"Tariq", "Tariq"}, {"Yuki", "Yuki"}, {"Zoe", "Zoe"}, {"Hannah", "Hannah"}, {"Grace", "Grace"},
            {"Ethan", "Ethan"}, {"Liam", "Liam"}, {"Mia", "Mia"}, {"Charlotte", "Charlie"}, {"Henry", "Hank"},
            {"Frederick", "Fred"}, {"Lawrence", "Larry"}, {"Raymond", "Ray"}, {"Douglas", "Doug"}, {"Peter", "Pete"},
            {"Gabriel", "Gabe"}, {"Isabella", "Bella"}, {"Natalie", "Nat"}, {"Jacqueline", "Jackie"},
            {"Theodore", "Ted"}, {"Valentina", "Val"}, {"Diego", "Diego"}, {"Ananya", "Ananya"}, {"Rahul", "Rahul"}})).toArray(String[][]::new);
    /** Common family names: one person in three has one of these. */
    private static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
            "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
            "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
            "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
            "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
            "Roberts", "Patel", "Okafor", "Nowak", "Fischer", "Moreau", "Rossi", "Kowalski", "Lindqvist", "Kim", "Chen"};
    /** Rarer family names are composed: 40 × 20. */
    private static final String[] SURNAME_HEAD = {"Ash", "Black", "Brook", "Castle", "Fair", "Green", "Hart", "Holl",
            "Lang", "Mor", "North", "Oak", "Rad", "Shel", "Stan", "West", "Whit", "Wood", "Ald", "Bar", "Brad", "Cal",
            "Dun", "Ed", "Fern", "Gold", "Hale", "Kings", "Lock", "Marsh", "New", "Pen", "Ray", "Stock", "Thorn",
            "Wal", "Win", "Hamp", "Crom", "Bell"};
    private static final String[] SURNAME_TAIL = {"by", "ford", "ley", "ton", "well", "worth", "field", "wood", "ham",
            "more", "ridge", "stone", "combe", "hurst", "wick", "dale", "burn", "croft", "den", "shaw"};
    private static final String[] COMPANY_HEAD = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
            "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka", "Pied Piper", "Massive Dynamic", "Gringotts",
            "Oscorp", "Aperture", "Black Mesa", "Monarch", "Dunder Mifflin", "Sterling Cooper", "Prestige Worldwide",
            "Bluth", "Nakatomi", "Gekko", "Virtucon", "Kramerica", "Wernham Hogg", "Lacuna", "Veridian"};
    private static final String[] COMPANY_TAIL = {"Industries", "Systems", "Logistics", "Labs", "Foods", "Partners",
            "Software", "Analytics", "Health", "Capital"};
    private static final String[] LEGAL = {" Inc", " Inc.", " LLC", " Corp", "", " Ltd"};
    private static final String[] STREET = {"Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Pine Street",
            "Elm Street", "Washington Avenue", "Lake Road", "Hill Street", "Park Avenue", "Church Street",
            "Sunset Boulevard", "River Road", "Highland Avenue", "Franklin Street", "Jefferson Avenue", "Mill Road",
            "Spring Street", "Ridge Road", "Meadow Lane"};
    /** City, state, first postcode, area code. */
    private static final String[][] CITY = {{"New York", "NY", "10001", "212"}, {"Los Angeles", "CA", "90001", "213"},
            {"Chicago", "IL", "60601", "312"}, {"Houston", "TX", "77001", "713"}, {"Phoenix", "AZ", "85001", "602"},
            {"Philadelphia", "PA", "19101", "215"}, {"San Antonio", "TX", "78201", "210"}, {"San Diego", "CA", "92101", "619"},
            {"Dallas", "TX", "75201", "214"}, {"Austin", "TX", "78701", "512"}, {"Jacksonville", "FL", "32201", "904"},
            {"Columbus", "OH", "43201", "614"}, {"Charlotte", "NC", "28201", "704"}, {"Indianapolis", "IN", "46201", "317"},
            {"San Francisco", "CA", "94102", "415"}, {"Seattle", "WA", "98101", "206"}, {"Denver", "CO", "80201", "303"},
            {"Boston", "MA", "02108", "617"}, {"Nashville", "TN", "37201", "615"}, {"Detroit", "MI", "48201", "313"},
            {"Portland", "OR", "97201", "503"}, {"Las Vegas", "NV", "89101", "702"}, {"Memphis", "TN", "38101", "901"},
            {"Louisville", "KY", "40201", "502"}, {"Baltimore", "MD", "21201", "410"}, {"Milwaukee", "WI", "53201", "414"},
            {"Albuquerque", "NM", "87101", "505"}, {"Tucson", "AZ", "85701", "520"}, {"Fresno", "CA", "93701", "559"},
            {"Sacramento", "CA", "94203", "916"}, {"Atlanta", "GA", "30301", "404"}, {"Miami", "FL", "33101", "305"},
            {"Minneapolis", "MN", "55401", "612"}, {"Cleveland", "OH", "44101", "216"}, {"Tampa", "FL", "33601", "813"},
            {"Pittsburgh", "PA", "15201", "412"}, {"Cincinnati", "OH", "45201", "513"}, {"Orlando", "FL", "32801", "407"},
            {"St. Louis", "MO", "63101", "314"}, {"Salt Lake City", "UT", "84101", "801"}};
    private static final String[] FREE_MAIL = {"gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com"};

    /** The size of the population: every person has a unique phone. */
    static final int MAX_PEOPLE = 8_000_000;

    private People() {
    }

    /**
     * One person of the population.
     *
     * @param n the person's number (preloaded people are {@code 0 … preloaded-1})
     * @param first given name
     * @param nickname the usual short form of the given name (the same when there is none)
     * @param last family name
     * @param email a unique e-mail address (free mail or the company's domain)
     * @param phone a unique US number in E.164
     * @param company company name with its legal form
     * @param street house number and street
     * @param city city
     * @param state US state
     * @param postcode ZIP code
     */
    record Person(int n, String first, String nickname, String last, String email, String phone, String company,
            String street, String city, String state, String postcode) {

        String fullName() {
            return first + " " + last;
        }

        /** The canonical person attributes a CRM-like source would state for this person (as connectors map them). */
        Map<String, String> attributes() {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("first_name", first);
            a.put("last_name", last);
            a.put("email", email);
            a.put("phone", phone);
            a.put("company", company);
            a.put("street", street);
            a.put("city", city);
            a.put("postcode", postcode);
            a.put("country", "US");
            return a;
        }
    }

    /** Person {@code n} of the population drawn from {@code seed}. */
    static Person person(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("person number must not be negative: " + n);
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
        String[] given = GIVEN[r.nextInt(GIVEN.length)];
        String last = r.nextInt(3) == 0 ? FAMILY[skewed(r, FAMILY.length)]
                : SURNAME_HEAD[r.nextInt(SURNAME_HEAD.length)] + SURNAME_TAIL[r.nextInt(SURNAME_TAIL.length)].toLowerCase(Locale.ROOT);
        String companyName = COMPANY_HEAD[r.nextInt(COMPANY_HEAD.length)] + " " + COMPANY_TAIL[r.nextInt(COMPANY_TAIL.length)];
        String company = companyName + LEGAL[r.nextInt(LEGAL.length)];
        String[] city = CITY[skewed(r, CITY.length)];
        String local = (given[0] + "." + last).toLowerCase(Locale.ROOT) + n;
        String domain = r.nextInt(4) == 0 ? companyName.toLowerCase(Locale.ROOT).replace(" ", "") + ".example"
                : FREE_MAIL[r.nextInt(FREE_MAIL.length)];
        int zip = Integer.parseInt(city[2]) + r.nextInt(100);
        String street = (1 + r.nextInt(999)) + " " + STREET[r.nextInt(STREET.length)];
        return new Person(n, given[0], given[1], last, local + "@" + domain, phone(city[3], n), company, street,
                city[0], city[1], String.format(Locale.ROOT, "%05d", zip));
    }

    /**
     * A unique, valid North American number for person {@code n} (below {@link #MAX_PEOPLE}): the city's area code,
     * an exchange from 200 to 999 and four digits.
     */
    static String phone(String area, int n) {
        if (n >= MAX_PEOPLE) {
            throw new IllegalArgumentException("the population has " + MAX_PEOPLE + " people; no person " + n);
        }
        return "+1" + area + (200 + n / 10_000) + String.format(Locale.ROOT, "%04d", n % 10_000);
    }

    /** An index into a list of {@code size} whose first entries are drawn more often (roughly Zipf-like). */
    private static int skewed(SplittableRandom r, int size) {
        double u = r.nextDouble();
        return Math.min(size - 1, (int) (size * u * u));
    }
}

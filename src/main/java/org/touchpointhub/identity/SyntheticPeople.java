package org.touchpointhub.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/*
 * Design. CRM-like contacts with known truth, reproducible from a seed, in the evaluation input form (plus a
 * "truth" column), for tests and the benchmark. Each person gets a canonical record; further records of the same
 * person are drawn from the ways real sources differ: a nickname (Bill/William), an e-mail alias (dots and plus
 * tags at Gmail) or a typo, another phone format, a company with or without its legal form, a job change (new
 * company and corporate e-mail, same mobile), or a repeat visit with the same data. Households add a second person
 * at the same address with the same surname: a different person who must never be merged.
 */

/** A seeded generator of CRM-like contacts with known truth (the {@code truth} column). */
public final class SyntheticPeople {

    private static final String[][] GIVEN = {{"William", "Bill"}, {"Robert", "Bob"}, {"Elizabeth", "Liz"},
            {"Richard", "Dick"}, {"Michael", "Mike"}, {"Thomas", "Tom"}, {"Katherine", "Kate"}, {"James", "Jim"},
            {"Margaret", "Peggy"}, {"Olivia", "Olivia"}, {"Amelia", "Amelia"}, {"Noah", "Noah"}, {"Priya", "Priya"},
            {"Mohammed", "Mohammed"}, {"Chloe", "Chloe"}, {"Daniel", "Dan"}, {"Samuel", "Sam"}, {"Jessica", "Jess"},
            {"Alexander", "Alex"}, {"Benjamin", "Ben"}, {"Ava", "Ava"}, {"Isla", "Isla"}, {"Leo", "Leo"},
            {"Oscar", "Oscar"}, {"Freya", "Freya"}, {"Harry", "Harry"}, {"Zara", "Zara"}, {"Ruby", "Ruby"},
            {"Theo", "Theo"}, {"Arjun", "Arjun"}, {"Ivy", "Ivy"}, {"Finn", "Finn"}, {"Maya", "Maya"}, {"Luca", "Luca"},
            {"Nina", "Nina"}};
    /** The given names with their usual nickname (the same when there is none), as a copy. */
    public static String[][] givenNames() {
        String[][] copy = new String[GIVEN.length][];
        for (int i = 0; i < GIVEN.length; i++) {
            copy[i] = GIVEN[i].clone();
        }
        return copy;
    }

    private static final String[] SURNAME_HEAD = {"Ash", "Black", "Brook", "Castle", "Fair", "Green", "Hart", "Holl",
            "Lang", "Mor", "North", "Oak", "Rad", "Shel", "Stan", "West", "Whit", "Wood"};
    private static final String[] SURNAME_TAIL = {"by", "ford", "ley", "ton", "well", "worth", "field", "wood", "ham", "more"};
    private static final String[] FAMILY = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
            "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
            "Wood", "Jackson", "Clarke", "Okafor", "Nowak", "Fischer", "Moreau", "Rossi", "Kowalski", "Lindqvist"};
    private static final String[] COMPANY = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay Industries",
            "Stark Industries", "Wayne Enterprises", "Tyrell", "Cyberdyne Systems", "Soylent", "Wonka Industries"};
    private static final String[] SUFFIX = {" Ltd", " Limited", " plc", "", " Ltd."};
    private static final String[] STREET = {"High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Road",
            "Victoria Road", "Green Lane", "Manor Road"};
    private static final String[][] CITY = {{"London", "SW1A 1AA"}, {"Leeds", "LS1 4AP"}, {"Bristol", "BS1 5TR"},
            {"Manchester", "M1 1AE"}, {"York", "YO1 7HH"}};

    private SyntheticPeople() {
    }

    /** Returns rows for the given number of people (plus household members), shuffled, reproducible from the seed. */
    public static List<Map<String, String>> generate(long seed, int people) {
        Random random = new Random(seed);
        List<Map<String, String>> rows = new ArrayList<>();
        int entity = 0;
        for (int p = 0; p < people; p++) {
            Person person = Person.random(random, entity++);
            addRecords(random, person, rows);
            if (random.nextDouble() < 0.15) {
                Person partner = person.householdMember(random, entity++);
                addRecords(random, partner, rows);
            }
        }
        java.util.Collections.shuffle(rows, random);
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).put("id", "s" + i);
        }
        return rows;
    }

    private static void addRecords(Random random, Person person, List<Map<String, String>> rows) {
        rows.add(person.canonical());
        int more = random.nextInt(4);
        for (int k = 0; k < more; k++) {
            double r = random.nextDouble();
            Map<String, String> row = person.canonical();
            if (r < 0.2) {
                row.put("first_name", person.nickname);
                row.remove("email");
            } else if (r < 0.35) {
                row.put("email", alias(random, person));
            } else if (r < 0.5) {
                row.put("email", typo(random, person.localPart) + "@" + person.emailDomain);
                row.remove("phone");
            } else if (r < 0.65) {
                row.put("phone", "0" + person.national.substring(0, 2) + " " + person.national.substring(2, 6) + " "
                        + person.national.substring(6));
                row.remove("email");
                row.put("company", person.company.toUpperCase(Locale.ROOT));
            } else if (r < 0.8) {
                String company = COMPANY[random.nextInt(COMPANY.length)];
                row.put("company", company + SUFFIX[random.nextInt(SUFFIX.length)]);
                row.put("email", person.localPart + "@" + company.toLowerCase(Locale.ROOT).replace(" ", "") + ".example");
                row.put("phone", person.mobile);
                row.remove("street");
            }
            // else: a repeat visit with the same data
            rows.add(row);
        }
    }

    private static String alias(Random random, Person person) {
        if ("gmail.com".equals(person.emailDomain)) {
            return person.localPart.replace(".", "") + "+news@gmail.com";
        }
        return person.localPart.toUpperCase(Locale.ROOT) + "@" + person.emailDomain;
    }

    private static String typo(Random random, String s) {
        int i = 1 + random.nextInt(s.length() - 2);
        return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
    }

    /** One synthetic person's canonical facts. */
    private static final class Person {
        int truth;
        String first;
        String nickname;
        String last;
        String localPart;
        String emailDomain;
        String national;
        String mobile;
        String company;
        String street;
        String city;
        String postcode;

        static Person random(Random random, int truth) {
            Person p = new Person();
            p.truth = truth;
            String[] given = GIVEN[random.nextInt(GIVEN.length)];
            p.first = given[0];
            p.nickname = given[1];
            p.last = random.nextInt(3) == 0 ? FAMILY[random.nextInt(FAMILY.length)]
                    : SURNAME_HEAD[random.nextInt(SURNAME_HEAD.length)] + SURNAME_TAIL[random.nextInt(SURNAME_TAIL.length)];
            p.localPart = (p.first + "." + p.last + (truth % 7 == 0 ? "" : Integer.toString(truth))).toLowerCase(Locale.ROOT);
            p.emailDomain = random.nextBoolean() ? "gmail.com" : "outlook.com";
            p.national = String.format("20794%05d", random.nextInt(100000)).substring(0, 10);
            p.mobile = String.format("+447911%06d", (truth * 7919L + 12345) % 1_000_000);
            p.company = COMPANY[random.nextInt(COMPANY.length)] + SUFFIX[random.nextInt(SUFFIX.length)];
            p.street = (1 + random.nextInt(200)) + " " + STREET[random.nextInt(STREET.length)];
            String[] city = CITY[random.nextInt(CITY.length)];
            p.city = city[0];
            p.postcode = city[1].substring(0, city[1].indexOf(' ')) + " " + (1 + random.nextInt(9))
                    + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
            return p;
        }

        Person householdMember(Random random, int truth) {
            Person p = random(random, truth);
            p.last = last;
            p.street = street;
            p.city = city;
            p.postcode = postcode;
            p.national = national;
            while (p.first.equals(first)) {
                String[] given = GIVEN[random.nextInt(GIVEN.length)];
                p.first = given[0];
                p.nickname = given[1];
            }
            p.localPart = (p.first + "." + p.last + truth).toLowerCase(Locale.ROOT);
            return p;
        }

        Map<String, String> canonical() {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("first_name", first);
            row.put("last_name", last);
            row.put("email", localPart + "@" + emailDomain);
            row.put("phone", "+44 " + national.substring(0, 2) + " " + national.substring(2, 6) + " " + national.substring(6));
            row.put("company", company);
            row.put("street", street);
            row.put("city", city);
            row.put("postcode", postcode);
            row.put("country", "GB");
            row.put("source", "synthetic");
            row.put(Converters.TRUTH, Integer.toString(truth));
            return row;
        }
    }
}

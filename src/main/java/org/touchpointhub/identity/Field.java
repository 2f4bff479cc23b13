package org.touchpointhub.identity;

/** One canonical, normalized attribute of a person that matching compares. */
public enum Field {
    FIRST_NAME, LAST_NAME, EMAIL, PHONE, DOB, STREET, POSTCODE, CITY, COMPANY
}

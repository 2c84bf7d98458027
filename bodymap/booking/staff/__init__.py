"""The staff side of booking: the time-grid calendar and booking at the front desk."""

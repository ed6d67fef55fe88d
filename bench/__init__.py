"""The benchmark's own code (``make bench``), apart from the portal's.

Its dataset is written straight to the tables, for volume: it is not the
portal's behaviour, and the rules the portal's code follows (states and events
only through the workflows) do not apply here.
"""

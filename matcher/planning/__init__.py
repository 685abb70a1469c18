"""The planners' wing: where sites are needed, what a change to the registry does, and how a
placement policy fares over months of arrivals.

areas        kecamatan polygons and the area of every point
demand       a cohort of clients drawn from an area's population and offence mix
scenarios    a registry change (open, close, resize) and its outcome on the same cohort
simulation   six months of arrivals placed day by day under several policies, against hindsight
facility     where to open new sites (a facility-location model on candidate points)
marginal     what one more place at each site is worth
study        the whole study: base, scenarios, simulation, new sites, marginal values
"""

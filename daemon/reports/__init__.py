"""What people read from the register: periodic reports (counts, a workbook, a chart), the
year's register printed like the paper sổ, and the weekly export of both books.

Library functions first (the scheduler calls them), commands in daemon/commands/report_cmds.py.
"""

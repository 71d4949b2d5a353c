"""The demo: the five services run as separate processes beside the stack, supervised by pid files."""

from huifang_infra.demo.services import DEMO_SERVICES, DemoSettings, ServiceSpec, demo_services
from huifang_infra.demo.supervisor import Outcome, ServiceStatus, Supervisor

__all__ = ["DEMO_SERVICES", "DemoSettings", "Outcome", "ServiceSpec", "ServiceStatus", "Supervisor", "demo_services"]

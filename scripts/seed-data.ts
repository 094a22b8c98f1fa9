/** The demo world, in Spanish: two clinics, fourteen specialists across Latin America and Spain, patients, staff. */
import type { Clinic, Office, Review, Specialist, SpecialtyCode } from '../domain/src';

export const DEMO_PASSWORD = 'demo1234';

export interface DemoUser {
  uid: string;
  email: string;
  name: string;
  /** The role claims; empty for a specialist still under review (the role comes with approval). */
  roles: ('patient' | 'specialist' | 'staff' | 'admin')[];
  clinicIds?: string[];
  phone?: string;
  /** Clinics where this patient is a patient: they get a clinic record and an active portal grant there. */
  patientOf?: string[];
}

/** Who granted the seeded grants (grantFields.grantedBy accepts 'system'). */
export const SEED_GRANTOR = 'system';
/** When the seeded grants and records were made: fixed, so seeding twice writes the same documents. */
export const SEEDED_AT_ISO = '2026-01-05T14:00:00.000Z';

export const CLINICS: Record<string, Clinic> = {
  'clinica-andina': {
    name: 'Clínica Andina',
    city: 'Bogotá',
    country: 'CO',
    timeZone: 'America/Bogota',
    policies: { cancellationWindowHours: 24, lateCancellationFee: { amount: 5000000, currency: 'COP' }, portalAccess: 'email_phone' },
  },
  'centro-medico-iberia': {
    name: 'Centro Médico Iberia',
    city: 'Madrid',
    country: 'ES',
    timeZone: 'Europe/Madrid',
    policies: { cancellationWindowHours: 48, lateCancellationFee: { amount: 2500, currency: 'EUR' }, portalAccess: 'email_phone' },
  },
};

interface City {
  city: string;
  country: string;
  timeZone: string;
  currency: string;
}
const CITIES: Record<string, City> = {
  bogota: { city: 'Bogotá', country: 'CO', timeZone: 'America/Bogota', currency: 'COP' },
  medellin: { city: 'Medellín', country: 'CO', timeZone: 'America/Bogota', currency: 'COP' },
  cdmx: { city: 'Ciudad de México', country: 'MX', timeZone: 'America/Mexico_City', currency: 'MXN' },
  guadalajara: { city: 'Guadalajara', country: 'MX', timeZone: 'America/Mexico_City', currency: 'MXN' },
  lima: { city: 'Lima', country: 'PE', timeZone: 'America/Lima', currency: 'PEN' },
  santiago: { city: 'Santiago', country: 'CL', timeZone: 'America/Santiago', currency: 'CLP' },
  baires: { city: 'Buenos Aires', country: 'AR', timeZone: 'America/Argentina/Buenos_Aires', currency: 'ARS' },
  madrid: { city: 'Madrid', country: 'ES', timeZone: 'Europe/Madrid', currency: 'EUR' },
  barcelona: { city: 'Barcelona', country: 'ES', timeZone: 'Europe/Madrid', currency: 'EUR' },
};

/** Price of one visit in minor units of the city's currency (CLP has no minor unit). */
function price(currency: string, major: number): number {
  return currency === 'CLP' ? major : major * 100;
}

interface SeedSpecialist {
  uid: string;
  name: string;
  title: string;
  specialties: SpecialtyCode[];
  city: keyof typeof CITIES;
  address: string;
  lat: number;
  lng: number;
  fee: number;
  clinicIds: string[];
  status: Specialist['status'];
  bio: string;
  university: string;
  expertise: string[];
  video: boolean;
  prepay: boolean;
}

const SPECIALISTS: SeedSpecialist[] = [
  { uid: 'esp-valentina-rojas', name: 'Valentina Rojas', title: 'Dra.', specialties: ['dermatologia'], city: 'bogota', address: 'Calle 93 #11-26, Chicó', lat: 4.6768, lng: -74.0486, fee: 180000, clinicIds: ['clinica-andina'], status: 'approved', bio: 'Dermatóloga con 12 años de experiencia en acné, rosácea y cáncer de piel. Atiendo con calma y explico cada tratamiento.', university: 'Universidad Nacional de Colombia', expertise: ['Acné', 'Dermatoscopia', 'Psoriasis'], video: true, prepay: false },
  { uid: 'esp-andres-gomez', name: 'Andrés Gómez', title: 'Dr.', specialties: ['cardiologia'], city: 'bogota', address: 'Carrera 7 #119-14, Usaquén', lat: 4.6975, lng: -74.0308, fee: 220000, clinicIds: ['clinica-andina'], status: 'approved', bio: 'Cardiólogo clínico. Prevención cardiovascular, hipertensión y chequeos para deportistas.', university: 'Pontificia Universidad Javeriana', expertise: ['Hipertensión', 'Arritmias', 'Prevención'], video: true, prepay: true },
  { uid: 'esp-camila-restrepo', name: 'Camila Restrepo', title: 'Dra.', specialties: ['pediatria'], city: 'medellin', address: 'Carrera 43A #7-50, El Poblado', lat: 6.2087, lng: -75.5672, fee: 150000, clinicIds: ['clinica-andina'], status: 'approved', bio: 'Pediatra. Control de niño sano, vacunación y lactancia. Consultas sin prisa para madres y padres primerizos.', university: 'Universidad de Antioquia', expertise: ['Niño sano', 'Lactancia', 'Vacunación'], video: true, prepay: false },
  { uid: 'esp-jorge-herrera', name: 'Jorge Herrera', title: 'Dr.', specialties: ['traumatologia'], city: 'medellin', address: 'Calle 10 #32-115, Medellín', lat: 6.2094, lng: -75.5694, fee: 200000, clinicIds: [], status: 'approved', bio: 'Traumatólogo deportivo: rodilla, hombro y lesiones por sobreuso.', university: 'Universidad CES', expertise: ['Rodilla', 'Hombro', 'Medicina deportiva'], video: false, prepay: false },
  { uid: 'esp-sofia-hernandez', name: 'Sofía Hernández', title: 'Dra.', specialties: ['ginecologia'], city: 'cdmx', address: 'Av. Paseo de la Reforma 222, Juárez', lat: 19.4284, lng: -99.1627, fee: 1200, clinicIds: [], status: 'approved', bio: 'Ginecóloga y obstetra. Control prenatal, anticoncepción y menopausia.', university: 'UNAM', expertise: ['Control prenatal', 'Anticoncepción', 'Menopausia'], video: true, prepay: true },
  { uid: 'esp-diego-ramirez', name: 'Diego Ramírez', title: 'Lic.', specialties: ['psicologia'], city: 'cdmx', address: 'Av. Insurgentes Sur 1602, Crédito Constructor', lat: 19.3663, lng: -99.1800, fee: 900, clinicIds: [], status: 'approved', bio: 'Psicólogo clínico con enfoque cognitivo-conductual. Ansiedad, duelo y estrés laboral.', university: 'Universidad Iberoamericana', expertise: ['Ansiedad', 'Duelo', 'Terapia cognitivo-conductual'], video: true, prepay: true },
  { uid: 'esp-mariana-lopez', name: 'Mariana López', title: 'Dra.', specialties: ['endocrinologia', 'nutricion'], city: 'guadalajara', address: 'Av. Chapultepec 15, Americana', lat: 20.6736, lng: -103.3700, fee: 1100, clinicIds: [], status: 'approved', bio: 'Endocrinóloga. Diabetes, tiroides y manejo del peso con planes realistas.', university: 'Universidad de Guadalajara', expertise: ['Diabetes', 'Tiroides', 'Obesidad'], video: true, prepay: false },
  { uid: 'esp-lucia-quispe', name: 'Lucía Quispe', title: 'Dra.', specialties: ['medicina_general'], city: 'lima', address: 'Av. José Larco 345, Miraflores', lat: -12.1211, lng: -77.0297, fee: 120, clinicIds: [], status: 'approved', bio: 'Médica general y de familia. Chequeos, enfermedades crónicas y orientación para toda la familia.', university: 'Universidad Peruana Cayetano Heredia', expertise: ['Chequeos', 'Hipertensión', 'Diabetes'], video: true, prepay: false },
  { uid: 'esp-matias-soto', name: 'Matías Soto', title: 'Dr.', specialties: ['neurologia'], city: 'santiago', address: 'Av. Providencia 1208, Providencia', lat: -33.4263, lng: -70.6166, fee: 45000, clinicIds: [], status: 'approved', bio: 'Neurólogo. Cefaleas, epilepsia y trastornos del sueño.', university: 'Universidad de Chile', expertise: ['Migraña', 'Epilepsia', 'Sueño'], video: true, prepay: true },
  { uid: 'esp-florencia-diaz', name: 'Florencia Díaz', title: 'Dra.', specialties: ['psiquiatria'], city: 'baires', address: 'Av. Santa Fe 2450, Recoleta', lat: -34.5956, lng: -58.4020, fee: 40000, clinicIds: [], status: 'approved', bio: 'Psiquiatra de adultos. Depresión, trastornos de ansiedad y acompañamiento farmacológico.', university: 'Universidad de Buenos Aires', expertise: ['Depresión', 'Ansiedad', 'Trastorno bipolar'], video: true, prepay: true },
  { uid: 'esp-javier-martin', name: 'Javier Martín', title: 'Dr.', specialties: ['oftalmologia'], city: 'madrid', address: 'Calle de Serrano 45, Salamanca', lat: 40.4286, lng: -3.6873, fee: 90, clinicIds: ['centro-medico-iberia'], status: 'approved', bio: 'Oftalmólogo. Cirugía refractiva, cataratas y revisiones de la vista.', university: 'Universidad Complutense de Madrid', expertise: ['Cataratas', 'Cirugía refractiva', 'Glaucoma'], video: false, prepay: false },
  { uid: 'esp-elena-garcia', name: 'Elena García', title: 'Dra.', specialties: ['dermatologia'], city: 'madrid', address: 'Calle de Alcalá 120, Retiro', lat: 40.4232, lng: -3.6762, fee: 80, clinicIds: ['centro-medico-iberia'], status: 'approved', bio: 'Dermatóloga. Dermatología pediátrica, dermatitis atópica y revisión de lunares.', university: 'Universidad Autónoma de Madrid', expertise: ['Dermatitis atópica', 'Lunares', 'Dermatología pediátrica'], video: true, prepay: true },
  { uid: 'esp-pau-ferrer', name: 'Pau Ferrer', title: 'Dr.', specialties: ['cardiologia'], city: 'barcelona', address: 'Passeig de Gràcia 88, Eixample', lat: 41.3947, lng: 2.1616, fee: 95, clinicIds: [], status: 'pending_review', bio: 'Cardiólogo. Insuficiencia cardiaca y rehabilitación cardiaca.', university: 'Universitat de Barcelona', expertise: ['Insuficiencia cardiaca', 'Rehabilitación'], video: true, prepay: false },
  { uid: 'esp-carmen-vidal', name: 'Carmen Vidal', title: 'Dra.', specialties: ['nutricion'], city: 'barcelona', address: 'Carrer de Balmes 150, Eixample', lat: 41.3960, lng: 2.1530, fee: 60, clinicIds: [], status: 'pending_review', bio: 'Dietista-nutricionista. Nutrición deportiva y alimentación vegetariana.', university: 'Universitat de Barcelona', expertise: ['Nutrición deportiva', 'Alimentación vegetariana'], video: true, prepay: false },
];

const REVIEW_TEXTS: [number, string, string][] = [
  [5, 'Muy amable y clara con las explicaciones. Salí con un plan concreto.', 'M. G.'],
  [5, 'Puntual y atento. La videoconsulta funcionó perfecto.', 'J. P.'],
  [4, 'Buena atención, la espera fue algo larga.', 'A. R.'],
  [5, 'Excelente profesional, la recomiendo totalmente.', 'L. C.'],
  [4, 'Resolvió todas mis dudas, volvería a consultar.', 'C. M.'],
  [3, 'Correcto, aunque la consulta fue breve.', 'P. S.'],
];

export interface SeedWorld {
  users: DemoUser[];
  clinics: Record<string, Clinic>;
  /** Memberships; the seed writes them as active grants by SEED_GRANTOR. */
  members: { clinicId: string; uid: string; role: 'staff' | 'specialist'; displayName: string }[];
  /** Portal grants (active, by SEED_GRANTOR), one per patient and clinic in `patientOf`, with the clinic's record. */
  portalGrants: { clinicId: string; patientUid: string; record: { displayName: string; email: string; phone: string } }[];
  specialists: { uid: string; profile: Specialist; offices: { id: string; office: Office }[]; reviews: { id: string; review: Review }[] }[];
  patients: { uid: string; profile: { displayName: string; email: string; phone: string; locale: 'es' | 'en'; timeZone: string; requestedRole: 'patient' } }[];
}

/** Builds the whole world deterministically (same ids every time, so seeding twice changes nothing). */
export function buildWorld(geohash: (lat: number, lng: number) => string): SeedWorld {
  const email = (slug: string) => `${slug}@demo.telesalud.test`;
  const users: DemoUser[] = [
    { uid: 'pac-ana-torres', email: email('paciente'), name: 'Ana Torres', roles: ['patient'], phone: '+57 300 555 0101', patientOf: ['clinica-andina'] },
    { uid: 'pac-luis-mendoza', email: email('luis.mendoza'), name: 'Luis Mendoza', roles: ['patient'], phone: '+52 55 5555 0102' },
    { uid: 'pac-carla-nunez', email: email('carla.nunez'), name: 'Carla Núñez', roles: ['patient'], phone: '+51 955 550 103' },
    { uid: 'pac-pedro-silva', email: email('pedro.silva'), name: 'Pedro Silva', roles: ['patient'], phone: '+56 9 5555 0104' },
    { uid: 'pac-marta-ruiz', email: email('marta.ruiz'), name: 'Marta Ruiz', roles: ['patient'], phone: '+34 600 555 105', patientOf: ['centro-medico-iberia'] },
    { uid: 'pac-tomas-acosta', email: email('tomas.acosta'), name: 'Tomás Acosta', roles: ['patient'], phone: '+54 11 5555 0106' },
    { uid: 'staff-andina', email: email('recepcion.andina'), name: 'Paula Castro', roles: ['staff'], clinicIds: ['clinica-andina'] },
    { uid: 'staff-iberia', email: email('recepcion.iberia'), name: 'Raúl Navarro', roles: ['staff'], clinicIds: ['centro-medico-iberia'] },
    { uid: 'admin-plataforma', email: email('admin'), name: 'Equipo Telesalud', roles: ['admin'] },
  ];
  const specialists: SeedWorld['specialists'] = [];
  SPECIALISTS.forEach((s, i) => {
    const c = CITIES[s.city] as City;
    // The first specialist is also a patient: one account, two roles.
    // A specialist under review holds no role yet: approveSpecialist grants it (roles are never self-granted).
    const roles: DemoUser['roles'] = s.status !== 'approved' ? [] : i === 0 ? ['specialist', 'patient'] : ['specialist'];
    users.push({ uid: s.uid, email: i === 0 ? email('especialista') : email(s.uid.replace(/^esp-/, '').replace(/-/g, '.')), name: `${s.title} ${s.name}`, roles, clinicIds: s.clinicIds });
    const reviews = s.status === 'approved' ? REVIEW_TEXTS.slice(0, 2 + (i % 5)) : [];
    const ratingAverage = reviews.length ? Math.round((reviews.reduce((n, r) => n + r[0], 0) / reviews.length) * 10) / 10 : 0;
    const office: Office = {
      name: s.video ? `Consultorio ${s.name.split(' ')[1] ?? s.name}` : `Consulta ${s.name}`,
      address: s.address,
      city: c.city,
      country: c.country,
      location: { lat: s.lat, lng: s.lng },
      geohash: geohash(s.lat, s.lng),
      timeZone: c.timeZone,
      modality: 'in_person',
      weeklyHours: {
        mon: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
        tue: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
        wed: [{ start: '09:00', end: '13:00' }],
        thu: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
        fri: [{ start: '08:00', end: '13:00' }],
      },
      breaks: [{ start: '10:30', end: '10:45' }],
      slotMinutes: s.specialties.includes('psicologia') || s.specialties.includes('psiquiatria') ? 50 : 30,
      bufferMinutes: 10,
      prices: [{ siteId: 'telesalud', price: { amount: price(c.currency, s.fee), currency: c.currency } }],
    };
    const offices = [{ id: 'principal', office }];
    if (s.video) {
      offices.push({
        id: 'video',
        office: { ...office, name: 'Videoconsulta', modality: 'video', weeklyHours: { wed: [{ start: '15:00', end: '19:00' }], sat: [{ start: '09:00', end: '12:00' }] }, breaks: [] },
      });
    }
    specialists.push({
      uid: s.uid,
      profile: {
        displayName: `${s.title} ${s.name}`,
        title: s.title,
        bio: s.bio,
        education: [{ degree: 'Médico cirujano', institution: s.university, year: 2005 + (i % 10) }],
        specialties: s.specialties,
        areasOfExpertise: s.expertise,
        languages: i % 3 === 0 ? ['es', 'en'] : ['es'],
        clinicIds: s.clinicIds,
        status: s.status,
        ...(s.video ? { videoConsultMessage: 'Conéctate 5 minutos antes desde un lugar tranquilo y con buena luz.' } : {}),
        paymentPolicy: s.prepay ? 'prepay' : 'pay_at_visit',
        acceptsVideo: s.video,
        acceptsInPerson: true,
        ratingAverage,
        ratingCount: reviews.length,
        cities: [c.city],
      },
      offices,
      reviews: reviews.map((r, k) => ({ id: `seed-${k + 1}`, review: { rating: r[0], comment: r[1], authorInitials: r[2] } })),
    });
  });
  const members: SeedWorld['members'] = [
    { clinicId: 'clinica-andina', uid: 'staff-andina', role: 'staff', displayName: 'Paula Castro' },
    { clinicId: 'centro-medico-iberia', uid: 'staff-iberia', role: 'staff', displayName: 'Raúl Navarro' },
    ...SPECIALISTS.flatMap((s) => s.clinicIds.map((clinicId) => ({ clinicId, uid: s.uid, role: 'specialist' as const, displayName: `${s.title} ${s.name}` }))),
  ];
  const patients = users
    .filter((u) => u.roles.includes('patient'))
    .map((u) => ({
      uid: u.uid,
      profile: {
        displayName: u.name,
        email: u.email,
        phone: u.phone ?? '+57 300 555 0199',
        locale: 'es' as const,
        timeZone: u.phone?.startsWith('+34') ? 'Europe/Madrid' : 'America/Bogota',
        requestedRole: 'patient' as const,
      },
    }));
  const portalGrants: SeedWorld['portalGrants'] = users.flatMap((u) =>
    (u.patientOf ?? []).map((clinicId) => ({
      clinicId,
      patientUid: u.uid,
      record: { displayName: u.name, email: u.email, phone: u.phone ?? '+57 300 555 0199' },
    })),
  );
  return { users, clinics: CLINICS, members, portalGrants, specialists, patients };
}
